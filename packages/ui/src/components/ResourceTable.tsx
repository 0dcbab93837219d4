import { Text } from '@mantine/core';
import type { Page } from '@gatehouse/protocol';
import type { Resource } from '../data/useResource';
import { DataTable, type TableSpec } from './DataTable';
import { ErrorNotice } from './ErrorNotice';
import { Loading } from './Loading';

interface Props<T> extends TableSpec<T> {
  /** A list read from the API (`useResource(path, listPage(row))`). */
  list: Resource<Page<T>>;
  /** Only the rows this keeps are shown (a search box, say). */
  filter?: (row: T) => boolean;
  /** What an empty list (or an empty result of `filter`) says. */
  empty: string;
  /** The title of the error shown when the read fails. */
  errorTitle: string;
}

/**
 * A list read from the API as a table: a loader until the first answer, then
 * the rows or the `empty` text. A failed read shows above whatever was last
 * read, so a failed poll does not blank the page.
 */
export function ResourceTable<T>({ list, filter, empty, errorTitle, ...table }: Props<T>) {
  const rows = list.data ? (filter ? list.data.data.filter(filter) : list.data.data) : undefined;
  return (
    <>
      <ErrorNotice error={list.error} title={errorTitle} />
      {!rows ? !list.error && <Loading /> : rows.length === 0 ? <Text c="dimmed">{empty}</Text> : <DataTable rows={rows} {...table} />}
    </>
  );
}

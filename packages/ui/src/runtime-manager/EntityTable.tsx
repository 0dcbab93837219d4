import type { ReactNode } from 'react';
import { Stack, Table, Text } from '@mantine/core';
import type { Page } from '../api/types';
import { useResource } from '../data/useResource';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';

/** One column of an entity list: its header and how a row shows it. */
export interface Column<T> {
  label: string;
  render: (row: T) => ReactNode;
}

interface Props<T> {
  /** The API list to show, e.g. `/runtime-groups/{id}/routes`. */
  path: string;
  label: string;
  columns: Column<T>[];
  empty: string;
  rowKey: (row: T) => string;
}

/** A runtime group's list of one entity kind (services, routes, plugins, …), read from the API. */
export function EntityTable<T>({ path, label, columns, empty, rowKey }: Props<T>) {
  const list = useResource<Page<T>>(`${path}?size=1000`);
  if (list.error) return <ErrorNotice error={list.error} title={`Could not load ${label.toLowerCase()}`} />;
  if (!list.data) return <Loading />;
  if (list.data.data.length === 0) return <Text c="dimmed">{empty}</Text>;
  return (
    <Stack>
      <Table.ScrollContainer minWidth={560}>
        <Table aria-label={label} striped>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c.label}>{c.label}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.data.map((row) => (
              <Table.Tr key={rowKey(row)}>
                {columns.map((c) => (
                  <Table.Td key={c.label}>{c.render(row)}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

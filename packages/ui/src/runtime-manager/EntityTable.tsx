import { useMemo } from 'react';
import { listPage } from '@gatehouse/protocol';
import type { z } from 'zod';
import { useResource } from '../data/useResource';
import type { TableSpec } from '../components/DataTable';
import { ResourceTable } from '../components/ResourceTable';

interface Props<S extends z.ZodType> extends TableSpec<z.output<S>> {
  /** The API list to show, e.g. `/runtime-groups/{id}/routes`. */
  path: string;
  /** The protocol schema of one row (`service`, `route`, …). */
  row: S;
  empty: string;
}

/** A runtime group's list of one entity kind (services, routes, plugins, …), read from the API. */
export function EntityTable<S extends z.ZodType>({ path, row, label, ...table }: Props<S>) {
  const page = useMemo(() => listPage(row), [row]);
  const list = useResource(`${path}?size=1000`, page);
  return <ResourceTable list={list} label={label} errorTitle={`Could not load ${label.toLowerCase()}`} {...table} />;
}

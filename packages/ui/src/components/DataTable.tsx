import type { ReactNode } from 'react';
import { Table, VisuallyHidden, type TableProps } from '@mantine/core';

/** One column of a table: its header and how a row shows in it. */
export interface Column<T> {
  /** The header, which also names the column for screen readers. */
  label: string;
  /** Shown to screen readers only (a column of action buttons). */
  hideLabel?: boolean;
  render: (row: T) => ReactNode;
}

/** What every table of the app is given: its accessible name, its columns and how rows are told apart. */
export interface TableSpec<T> extends Omit<TableProps, 'children' | 'data'> {
  /** The table's accessible name (`aria-label`), by which tests and screen readers find it. */
  label: string;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  /** Below this width the table scrolls sideways instead of squeezing (phone widths). */
  minWidth?: number;
}

/** A table of rows, one cell per column, scrolling sideways on narrow screens. */
export function DataTable<T>({ label, columns, rowKey, rows, minWidth = 560, ...tableProps }: TableSpec<T> & { rows: readonly T[] }) {
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table aria-label={label} {...tableProps}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c.label}>{c.hideLabel ? <VisuallyHidden>{c.label}</VisuallyHidden> : c.label}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={rowKey(row)}>
              {columns.map((c) => (
                <Table.Td key={c.label}>{c.render(row)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

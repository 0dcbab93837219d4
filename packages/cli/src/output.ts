import YAML from 'yaml';

/** The formats `--output` takes. */
export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** One table column: its header and how to get a cell from a row. */
export interface Column<T> {
  header: string;
  value(row: T): unknown;
}

/** A cell as text: lists joined by commas, `{id}` references as the id, nothing as `-`. */
function cell(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map(cell).join(',');
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.id === 'string' && Object.keys(o).length === 1) return o.id;
    return JSON.stringify(value);
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  // A function or symbol: nothing a JSON answer holds.
  return '-';
}

/** A plain-text table: a header row, then one row per item, columns padded to their widest cell. */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = [columns.map((c) => c.header), ...rows.map((r) => columns.map((c) => cell(c.value(r))))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  return `${cells.map((row) => row.map((v, i) => (i === row.length - 1 ? v : v.padEnd(widths[i] ?? 0))).join('  ')).join('\n')}\n`;
}

/** Renders data in the chosen format; `table` needs columns (without them it falls back to YAML). */
export function render<T>(format: OutputFormat, data: readonly T[] | T, columns?: readonly Column<T>[]): string {
  if (format === 'json') return `${JSON.stringify(data, null, 2)}\n`;
  if (format === 'table' && columns && Array.isArray(data)) return table(data as readonly T[], columns);
  return YAML.stringify(data, { lineWidth: 0 });
}

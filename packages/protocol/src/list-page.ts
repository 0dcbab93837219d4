import { z } from 'zod';

/** One page of a list answer (docs/API.md, Lists): the rows, and the next page's offset token or null on the last page. */
export interface Page<T> {
  data: T[];
  offset: string | null;
}

/**
 * The schema of a list answer whose rows are `item`: `{data: [...], offset}`.
 * Every list route of the API answers this shape, so clients read any list
 * with the schema of its row.
 */
export function listPage<T extends z.ZodType>(item: T): z.ZodType<Page<z.output<T>>, Page<z.input<T>>> {
  return z.object({ data: z.array(item), offset: z.string().nullable() });
}

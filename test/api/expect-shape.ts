import type { z } from 'zod';

/**
 * Asserts that an API answer parses with a protocol schema (the one the UI
 * and CLI read it with), failing with Zod's issues so the field that differs
 * is named.
 */
export function expectShape(schema: z.ZodType, body: unknown): void {
  expect(schema.safeParse(body).error?.issues ?? []).toEqual([]);
}

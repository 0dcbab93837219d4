import type { FilePath, Problems } from './problems';

/**
 * Kong's declarative format lets the file itself and every entity in it (nested
 * ones included) carry two notes that change nothing: `_comment` (a string) and
 * `_ignore` (an array of anything). Kong checks their type and then drops them,
 * so they never reach the database, `/config` or a dump; Gatehouse does the same.
 */
export const ANNOTATION_KEYS = ['_comment', '_ignore'] as const;

/** Removes `_comment` / `_ignore` from `entry`, reporting a wrong type at its path (Kong's messages). */
export function takeAnnotations(entry: Record<string, unknown>, path: FilePath, problems: Problems): void {
  const comment = entry._comment;
  if (comment !== undefined && comment !== null && typeof comment !== 'string') problems.add([...path, '_comment'], 'expected a string');
  const ignore = entry._ignore;
  if (ignore !== undefined && ignore !== null && !Array.isArray(ignore)) problems.add([...path, '_ignore'], 'expected an array');
  for (const key of ANNOTATION_KEYS) delete entry[key];
}

/**
 * Declarative config: Kong DB-less / decK files read into a flat entity set,
 * compared with a runtime group's, and written back out.
 */
export * from './state';
export * from './format-version';
export * from './plugin-catalog';
export * from './problems';
export * from './kinds';
export * from './document';
export * from './read';
export * from './select-tags';
export * from './diff';
export * from './to-file';
export * from './from-config';

import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** Node-only helpers (kept out of the main entry so browsers can import the schemas). */

/** The hash a config is versioned by: SHA-256 of its canonical JSON, hex. */
export function configHash(config: unknown): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex');
}

export { canonicalJson };
export * from './settings';
export * from './secret-hash';
export * from './logging';
export * from './durable-temp';
export * from './durable-write';
export * from './durable-write-sync';
export * from './tls/inspect';
export * from './tls/check-file';
export * from './jwt-public-key';

import type { ConfigPieces } from './pieces';

/**
 * A checked config ready to be served by a process: what a proxy worker gets
 * from the primary. `pieces` passed the protocol schema and the config they
 * join into hashes to `hash`; nothing downstream checks them again.
 */
export interface ServableSnapshot {
  readonly version: number;
  readonly hash: string;
  readonly pieces: ConfigPieces;
}

/**
 * A snapshot from the CP that passed every check a DP makes before
 * compiling (envelope, protocol schema, announced hash), prepared off the
 * event loop for the pipeline: the config in pieces to join a turn at a
 * time, and `cacheText`, the config cache's file content with the config
 * exactly as received (so it still hashes to `hash` when read back at the
 * next start). Plain data: it crosses a thread by structured clone.
 */
export interface PreparedSnapshot extends ServableSnapshot {
  readonly kind: 'prepared';
  readonly cacheText: string;
}

/**
 * A snapshot from the CP that failed a check before compiling; `error` is
 * what the DP answers in `rejected`. It still goes through the pipeline,
 * since it is the newest snapshot and supersedes older ones.
 */
export interface RefusedSnapshot {
  readonly kind: 'refused';
  readonly version: number;
  readonly hash: string;
  readonly error: string;
}

/** Every snapshot the pipeline is given: prepared, or refused with the reason. */
export type IncomingSnapshot = PreparedSnapshot | RefusedSnapshot;

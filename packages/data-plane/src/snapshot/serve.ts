import type { GatewayConfig } from '@gatehouse/protocol';
import type { ConfigMeta, SlicedApplyOutcome } from '../engine/engine';
import { joinConfig } from './pieces';
import type { ServableSnapshot } from './prepared';

/**
 * What the snapshot pipeline needs from a process's proxy engine (engine/engine.ts):
 *
 * - `applyInSlices` compiles a checked config and swaps it in whole,
 *   spread over turns of the event loop so requests in flight keep being
 *   served. It resolves `superseded` (nothing swapped) when `keepGoing`
 *   answered false between slices or a newer apply started; it rejects
 *   with a readable error when the config cannot be compiled, leaving the
 *   previous config serving untouched.
 * - `current()` answers `{version, hash}` of the config serving, or null.
 */
export interface SnapshotEngine {
  applyInSlices(config: GatewayConfig, meta: ConfigMeta, options: { keepGoing: () => boolean }): Promise<SlicedApplyOutcome>;
  current(): ConfigMeta | null;
}

/**
 * Makes `snapshot` the config `engine` serves: joins its pieces a piece per
 * turn, then compiles and swaps in slices, asking `keepGoing` between turns.
 * Answers `superseded` when told to stop (a newer snapshot arrived: nothing
 * was swapped); rejects as `applyInSlices` does. The one way a checked
 * config becomes serving, in the primary and in every proxy worker.
 */
export async function serveSnapshot(engine: SnapshotEngine, snapshot: ServableSnapshot, keepGoing: () => boolean): Promise<SlicedApplyOutcome> {
  const config = await joinConfig(snapshot.pieces, keepGoing);
  // Checked in the same turn as the call: starting an older build would supersede a newer one.
  if (config === null || !keepGoing()) return 'superseded';
  return engine.applyInSlices(config, { version: snapshot.version, hash: snapshot.hash }, { keepGoing });
}

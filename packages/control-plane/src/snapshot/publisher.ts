import type { Db } from '../database/client';
import type { Logger } from '../logging';
import type { SecretKey } from '../certificates/key-encryption';
import { buildGroupConfig } from './build';
import { DEFAULT_MAX_SNAPSHOT_BYTES, makeSnapshot, type Snapshot } from './snapshot';

/** Hears every snapshot whose hash differs from the group's previous one. */
export type SnapshotListener = (snapshot: Snapshot) => void;

interface BuildState {
  running: Promise<void>;
  dirty: boolean;
}

export interface PublisherOptions {
  /** Only groups with connected DPs are rebuilt eagerly on change; others lazily. */
  isWatched(runtimeGroupId: string): boolean;
  maxSnapshotBytes?: number;
  /** Opens the gatehouse-vault secrets a group's config references; without it none are shipped. */
  secretKey?: SecretKey;
}

/**
 * Keeps the current snapshot of each runtime group and announces new ones.
 *
 * Coalescing, without a timer: a change that arrives while the group's build
 * is running only marks it dirty; when the build ends it runs once more, so a
 * burst of N changes costs at most two builds and the last committed state
 * is always the one that goes out. A rebuilt snapshot with an unchanged hash
 * is cached (its version may be newer) but not announced, so DPs get nothing.
 */
export class SnapshotPublisher {
  private readonly cache = new Map<string, Snapshot>();
  private readonly builds = new Map<string, BuildState>();
  private readonly listeners = new Set<SnapshotListener>();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly opts: PublisherOptions,
  ) {}

  onSnapshot(listener: SnapshotListener): void {
    this.listeners.add(listener);
  }

  /** A change to the group was committed (a NOTIFY arrived). */
  changed(runtimeGroupId: string): void {
    if (this.opts.isWatched(runtimeGroupId)) void this.refresh(runtimeGroupId);
  }

  /** Notifications may have been missed (the LISTEN connection was re-made): recheck every watched group. */
  changedAll(): void {
    for (const id of new Set([...this.cache.keys(), ...this.builds.keys()])) this.changed(id);
  }

  /**
   * The group's current snapshot. The cache is trusted only when its version
   * equals the group's config_version in the database (one cheap query), so
   * the answer is right even if a notification was lost. Undefined when the
   * group does not exist, or its config has never been servable.
   */
  async current(runtimeGroupId: string): Promise<Snapshot | undefined> {
    await this.builds.get(runtimeGroupId)?.running;
    const row = await this.db.runtimeGroup.findUnique({ where: { id: runtimeGroupId }, select: { configVersion: true } });
    if (!row) {
      this.cache.delete(runtimeGroupId);
      return undefined;
    }
    const cached = this.cache.get(runtimeGroupId);
    if (cached && cached.version >= Number(row.configVersion)) return cached;
    await this.refresh(runtimeGroupId);
    return this.cache.get(runtimeGroupId);
  }

  /** Forgets a group (deleted). */
  forget(runtimeGroupId: string): void {
    this.cache.delete(runtimeGroupId);
  }

  private refresh(runtimeGroupId: string): Promise<void> {
    const existing = this.builds.get(runtimeGroupId);
    if (existing) {
      existing.dirty = true;
      return existing.running;
    }
    const state: BuildState = { dirty: false, running: Promise.resolve() };
    state.running = (async () => {
      try {
        do {
          state.dirty = false;
          await this.buildOnce(runtimeGroupId);
          // `dirty` is set again by a call that arrived while buildOnce awaited.
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- mutated across the await
        } while (state.dirty);
      } finally {
        this.builds.delete(runtimeGroupId);
      }
    })();
    this.builds.set(runtimeGroupId, state);
    return state.running;
  }

  private async buildOnce(runtimeGroupId: string): Promise<void> {
    const started = process.hrtime.bigint();
    let snapshot: Snapshot;
    try {
      const built = await buildGroupConfig(this.db, runtimeGroupId, this.opts.secretKey);
      if (!built) {
        this.cache.delete(runtimeGroupId);
        return;
      }
      snapshot = await makeSnapshot(runtimeGroupId, built, this.opts.maxSnapshotBytes ?? DEFAULT_MAX_SNAPSHOT_BYTES);
    } catch (err) {
      // The DPs keep the last good snapshot; the cause is in the log.
      this.log.error({ event: 'snapshot_build_failed', runtime_group_id: runtimeGroupId, err }, (err as Error).message);
      return;
    }
    const previous = this.cache.get(runtimeGroupId);
    this.cache.set(runtimeGroupId, snapshot);
    const build_ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (previous?.hash === snapshot.hash) return;
    this.log.info({
      event: 'snapshot_built',
      runtime_group_id: runtimeGroupId,
      version: snapshot.version,
      hash: snapshot.hash,
      bytes: snapshot.frameBytes,
      build_ms,
    });
    for (const listener of this.listeners) listener(snapshot);
  }
}

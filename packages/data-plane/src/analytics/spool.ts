import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { statsBucket, type StatsBucket } from '@gatehouse/protocol';
import { writeFileDurable, writeFileDurableSync } from '@gatehouse/protocol/node';
import { z } from 'zod';
import type { Logger } from 'pino';

/** A stats batch waiting on disk for the CP's acknowledgement. */
export interface SpooledBatch {
  batch_id: string;
  buckets: StatsBucket[];
}

const spooledBatch = z.object({ batch_id: z.uuid(), buckets: z.array(statsBucket) });

/**
 * Unacknowledged stats batches, one file each under `<dir>`, so that neither a
 * CP outage nor a DP restart loses traffic counts. Files are written durably
 * (temporary file, fsync, rename, directory fsync), so neither a crash nor a
 * power cut leaves half a batch or loses a written one. A batch still being
 * filled is rewritten whole under its one id (`put`): the rename replaces the
 * file, so a kill leaves either the previous or the new content, never both,
 * and the CP never counts a request twice. The write is synchronous: one
 * small file per flush interval, and `stop` must finish it before the
 * process exits. Temporary files a kill left behind are removed
 * at start (one DP per DP dir, so none is in use then). File names start
 * with the creation time, so listing them in name order is oldest first. The
 * spool is bounded: past `maxBytes` the oldest batches are dropped and the
 * number dropped is logged.
 */
export class StatsSpool {
  private bytes = 0;
  // Orders batches written within the same millisecond.
  private sequence = 0;
  private readonly files = new Map<string, { file: string; size: number }>();

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
    private readonly log: Logger,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (name.endsWith('.tmp')) {
        fs.rmSync(file, { force: true });
        continue;
      }
      const m = /^\d+-\d+-([0-9a-f-]{36})\.json$/.exec(name);
      const id = m?.[1];
      if (id === undefined) continue;
      const size = fs.statSync(file).size;
      this.files.set(id, { file, size });
      this.bytes += size;
    }
  }

  /** Writes a new batch to disk and answers it; null when there was nothing to write or the disk refused. */
  add(buckets: StatsBucket[]): SpooledBatch | null {
    if (buckets.length === 0) return null;
    const batch: SpooledBatch = { batch_id: randomUUID(), buckets };
    return this.put(batch) ? batch : null;
  }

  /**
   * Writes `batch` to disk: a new file for a new id, else over the same
   * file (atomically replaced). False when the disk refused; the file then
   * keeps its previous content, and the caller keeps the counts.
   */
  put(batch: SpooledBatch): boolean {
    const { body, file, known } = this.target(batch);
    try {
      writeFileDurableSync(file, body);
    } catch (err) {
      this.writeFailed(batch, err);
      return false;
    }
    this.written(batch.batch_id, file, body, known);
    return true;
  }

  /**
   * `put` off the event loop (the fsyncs run on libuv's threads), for the
   * periodic flush: the proxy keeps serving while the disk works. The caller
   * runs one write of a batch at a time (two renames of the same file could
   * land out of order).
   */
  async putAsync(batch: SpooledBatch): Promise<boolean> {
    const { body, file, known } = this.target(batch);
    try {
      await writeFileDurable(file, body);
    } catch (err) {
      this.writeFailed(batch, err);
      return false;
    }
    this.written(batch.batch_id, file, body, known);
    return true;
  }

  private target(batch: SpooledBatch): { body: string; file: string; known: { size: number } | undefined } {
    const known = this.files.get(batch.batch_id);
    const file =
      known?.file ?? path.join(this.dir, `${String(Date.now()).padStart(15, '0')}-${String(this.sequence++ % 1e6).padStart(6, '0')}-${batch.batch_id}.json`);
    return { body: JSON.stringify(batch), file, known };
  }

  private writeFailed(batch: SpooledBatch, err: unknown): void {
    // Disk full or read-only: keep serving; the shipper keeps these counts in memory and tries again.
    const error = err instanceof Error ? err.message : String(err);
    this.log.error({ event: 'stats_spool_write_failed', error, requests: batch.buckets.reduce((n, b) => n + b.count, 0) });
  }

  private written(batchId: string, file: string, body: string, known: { size: number } | undefined): void {
    this.bytes += body.length - (known?.size ?? 0);
    this.files.set(batchId, { file, size: body.length });
    this.enforceBound();
  }

  /** Every batch still waiting, oldest first. Unreadable files are dropped with a log line. */
  pending(): SpooledBatch[] {
    const out: SpooledBatch[] = [];
    for (const [id, entry] of [...this.files.entries()].sort((a, b) => a[1].file.localeCompare(b[1].file))) {
      try {
        out.push(spooledBatch.parse(JSON.parse(fs.readFileSync(entry.file, 'utf8'))));
      } catch (err) {
        this.log.warn({ event: 'stats_spool_corrupt', batch_id: id, error: (err as Error).message });
        this.remove(id);
      }
    }
    return out;
  }

  /** The CP stored this batch: forget it. */
  ack(batchId: string): void {
    this.remove(batchId);
  }

  get size(): number {
    return this.files.size;
  }

  private remove(batchId: string): void {
    const entry = this.files.get(batchId);
    if (!entry) return;
    fs.rmSync(entry.file, { force: true });
    this.files.delete(batchId);
    this.bytes -= entry.size;
  }

  private enforceBound(): void {
    if (this.bytes <= this.maxBytes) return;
    let dropped = 0;
    let requests = 0;
    for (const [id, entry] of [...this.files.entries()].sort((a, b) => a[1].file.localeCompare(b[1].file))) {
      if (this.bytes <= this.maxBytes || this.files.size <= 1) break;
      try {
        const batch = JSON.parse(fs.readFileSync(entry.file, 'utf8')) as SpooledBatch;
        requests += batch.buckets.reduce((n, b) => n + b.count, 0);
      } catch {
        // Counted as dropped all the same.
      }
      this.remove(id);
      dropped++;
    }
    this.log.warn({ event: 'stats_spool_overflow', dropped_batches: dropped, dropped_requests: requests, max_bytes: this.maxBytes });
  }
}

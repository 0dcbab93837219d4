import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { decodeFrame, type DecodedFrame } from './decode-frame';

/**
 * The thread stops after this long without work, giving back the memory of
 * the configs it parsed (a 50,000-route snapshot leaves hundreds of MiB in
 * its heap); a burst of snapshots reuses it, the next lone one starts it again.
 */
const IDLE_MS = 2_000;

/**
 * The built thread entry. Run from the TypeScript sources (jest), this file
 * is a .ts next to no .js, so the package's built copy is used instead (the
 * integration tests and the DP always run the built code).
 */
function threadScript(): string {
  const here = path.join(__dirname, 'thread.js');
  return fs.existsSync(here) ? here : path.resolve(__dirname, '../../dist/snapshot/thread.js');
}

interface Task {
  bytes: Uint8Array;
  resolve: (r: DecodedFrame) => void;
}

/**
 * Decodes the CP's frames into DecodedFrame (snapshot/decode-frame.ts). Gzip
 * frames (the large snapshots: the CP compresses above 64 KiB) are decoded
 * on one worker thread: decompressing, parsing, validating a 10,000-route
 * config with the protocol schema, hashing its canonical JSON and
 * serializing it for the cache take 100–200 ms of CPU, which on the event
 * loop would stall every request in flight. Text frames are small and
 * decoded inline. Gzip frames are decoded one at a time, in the order given;
 * the caller keeps text and gzip frames in arrival order. If the thread
 * cannot start or dies, the frames it held are decoded inline (slower for
 * traffic, never lost).
 */
export class FrameDecoder {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Task>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly onThreadFailure: (error: string) => void = () => undefined) {}

  /** Decodes one frame, a gzip one off the event loop. Never rejects: a bad frame answers `kind: 'error'`. */
  decode(bytes: Uint8Array, isBinary: boolean): Promise<DecodedFrame> {
    if (!isBinary) return Promise.resolve(decodeFrame(bytes, false));
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.pending.set(id, { bytes, resolve });
      try {
        this.thread().postMessage({ id, bytes });
      } catch (err) {
        this.failed((err as Error).message);
      }
    });
  }

  /** Stops the thread (the DP is stopping); frames still pending are decoded inline. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    if (worker) await worker.terminate();
    this.drainInline();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(threadScript());
    // The DP's lifetime is the main thread's: an idle decoder must not keep the process up.
    worker.unref();
    worker.on('message', (m: { id: number; result: DecodedFrame }) => {
      const task = this.pending.get(m.id);
      this.pending.delete(m.id);
      task?.resolve(m.result);
      if (this.pending.size === 0) this.armIdleTimer(worker);
    });
    worker.on('error', (err: Error) => this.failed(err.message, worker));
    worker.on('exit', (code) => {
      if (this.worker === worker && this.pending.size > 0) this.failed(`snapshot thread exited with code ${code}`, worker);
      if (this.worker === worker) this.worker = null;
    });
    this.worker = worker;
    return worker;
  }

  private armIdleTimer(worker: Worker): void {
    this.idleTimer = setTimeout(() => {
      if (this.worker !== worker || this.pending.size > 0) return;
      this.worker = null;
      void worker.terminate();
    }, IDLE_MS);
    this.idleTimer.unref();
  }

  private failed(error: string, worker?: Worker): void {
    if (worker !== undefined && this.worker !== worker) return;
    this.worker = null;
    if (worker) void worker.terminate();
    this.onThreadFailure(error);
    this.drainInline();
  }

  private drainInline(): void {
    const tasks = [...this.pending.values()];
    this.pending.clear();
    for (const t of tasks) t.resolve(decodeFrame(t.bytes, true));
  }
}

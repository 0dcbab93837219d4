import { parentPort } from 'node:worker_threads';
import { decodeFrame } from './decode-frame';

/**
 * The snapshot thread's entry (started by snapshot/frame-decoder.ts): decodes
 * each gzip frame it is sent and posts the result back with the same id.
 */
parentPort?.on('message', (task: { id: number; bytes: Uint8Array }) => {
  parentPort?.postMessage({ id: task.id, result: decodeFrame(task.bytes, true) });
});

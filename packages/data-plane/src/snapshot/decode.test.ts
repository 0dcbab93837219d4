import zlib from 'node:zlib';
import type { GatewayConfig } from '@gatehouse/protocol';
import { configHash } from '@gatehouse/protocol/node';
import { gateway, route } from '../../../../test/support/config-builder';
import { cacheFileText } from '../cache/config-cache';
import { decodeFrame } from './decode-frame';
import { FrameDecoder } from './frame-decoder';
import { joinConfig } from './pieces';

/** A config of `n` routes without a service, big enough for several pieces. */
function config(n: number): GatewayConfig {
  const template = route({ protocols: ['http'], paths: ['/'], created_at: 1 });
  return gateway({
    routes: Array.from({ length: n }, (_, i) => ({ ...template, id: `2d4a2f3e-1b5c-4c7d-8e9f-${String(i).padStart(12, '0')}`, paths: [`/r${i}`] })),
  });
}

const snapshot = (version: number, c: unknown, hash = configHash(c)) => ({ type: 'snapshot' as const, version, hash, config: c });
const gzipFrame = (message: unknown): Buffer => zlib.gzipSync(JSON.stringify(message));
const textFrame = (message: unknown): Buffer => Buffer.from(JSON.stringify(message));

describe('decoding CP frames into prepared snapshots', () => {
  const threadFailures: string[] = [];
  let decoder: FrameDecoder;
  beforeEach(() => {
    decoder = new FrameDecoder((error) => threadFailures.push(error));
  });
  afterEach(async () => {
    await decoder.close();
    expect(threadFailures).toEqual([]);
  });

  it('checks and prepares a gzip snapshot on the thread: pieces that join into the config, and the cache text as received', async () => {
    const c = config(2500);
    const frame = await decoder.decode(gzipFrame(snapshot(7, c)), true);
    if (frame.kind !== 'prepared') throw new Error(`expected a prepared snapshot, got ${JSON.stringify(frame).slice(0, 200)}`);
    expect(frame).toMatchObject({ version: 7, hash: configHash(c) });
    expect(frame.pieces.pieces.length).toBeGreaterThan(1);
    await expect(joinConfig(frame.pieces)).resolves.toEqual(c);
    expect(frame.cacheText).toBe(cacheFileText(7, configHash(c), c));
  });

  it('prepares a text frame inline to the same snapshot as a gzip frame on the thread', async () => {
    const message = snapshot(3, config(10));
    expect(await decoder.decode(textFrame(message), false)).toEqual(await decoder.decode(gzipFrame(message), true));
  });

  it('refuses a config that fails the schema or the announced hash, with the error the DP answers, on either path', async () => {
    const good = config(2);
    const bad = { ...good, routes: [{ ...good.routes[0], strip_path: 'yes' }] };
    for (const isBinary of [true, false]) {
      const encode = isBinary ? gzipFrame : textFrame;
      const badSchema = await decoder.decode(encode(snapshot(2, bad)), isBinary);
      expect(badSchema).toMatchObject({ kind: 'refused', version: 2 });
      expect(badSchema.kind === 'refused' && badSchema.error).toContain('routes[0].strip_path');
      const wrongHash = await decoder.decode(encode(snapshot(3, good, 'e'.repeat(64))), isBinary);
      expect(wrongHash).toMatchObject({ kind: 'refused', version: 3, hash: 'e'.repeat(64) });
      expect(wrongHash.kind === 'refused' && wrongHash.error).toContain('not to the announced');
    }
  });

  it('passes other messages through and answers a readable error for broken frames', async () => {
    await expect(decoder.decode(gzipFrame({ type: 'pong' }), true)).resolves.toEqual({ kind: 'message', message: { type: 'pong' } });
    await expect(decoder.decode(zlib.gzipSync('{not json'), true)).resolves.toEqual({ kind: 'error', error: 'frame is not JSON' });
    const invalid = await decoder.decode(gzipFrame({ type: 'nope' }), true);
    expect(invalid.kind === 'error' && invalid.error).toContain('invalid message');
    await expect(decoder.decode(Buffer.from('not gzip at all'), true)).resolves.toMatchObject({ kind: 'error' });
    expect(decodeFrame(Buffer.from('{"type":"pong"'), false)).toEqual({ kind: 'error', error: 'frame is not JSON' });
  });
});

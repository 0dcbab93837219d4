/**
 * A 32-bit string hash for the balancer: FNV-1a over the UTF-16 code units,
 * then MurmurHash3's finalizer so that near keys (`10.0.0.1:80 1`,
 * `10.0.0.1:80 2`) spread over the whole range. Not for security; stable
 * across processes, so every DP puts a key on the same target.
 */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

import { hash32 } from './hash';
import type { Algorithm, BalancerEntry } from './types';

/** Points per entry on the continuum when every entry has the same weight (Kong's figure). */
const POINTS_PER_ENTRY = 160;
/** The smallest continuum, whatever `slots` says (Kong's). */
const MIN_CONTINUUM = 1000;

/**
 * Consistent hashing on a continuum of `slots` points (Kong's ketama-style
 * balancer): each entry owns points at the hashes of `host:port i`, as many
 * as its share of the weight (160 per entry at equal weights); a request's
 * key hashes to a point and goes to the owner of the nearest point at or
 * below it. Entries are placed by address, not by list position, so adding
 * or removing one moves only the keys nearest its points: about 1/N of them.
 */
export class ConsistentHashing implements Algorithm {
  /** For every point, the entry owning the nearest owned point at or below it (wrapping); -1 when none is owned. */
  private readonly owner: Int32Array;
  private readonly points: number;

  constructor(entries: readonly BalancerEntry[], slots: number) {
    this.points = Math.max(slots, MIN_CONTINUUM);
    const placed = new Int32Array(this.points).fill(-1);
    const total = entries.reduce((a, e) => a + e.weight, 0);
    const order = entries.map((e, index) => ({ e, index })).sort((a, b) => (a.e.host === b.e.host ? a.e.port - b.e.port : a.e.host < b.e.host ? -1 : 1));
    let free = this.points;
    for (const { e, index } of order) {
      if (e.weight === 0) continue;
      let wanted = Math.max(1, Math.floor((e.weight / total) * entries.length * POINTS_PER_ENTRY));
      for (let i = 1; wanted > 0 && free > 0 && i <= this.points * 4; i++) {
        const point = hash32(`${e.host}:${e.port} ${i}`) % this.points;
        if (placed[point] !== -1) continue; // taken: the entry tries its next name
        placed[point] = index;
        wanted--;
        free--;
      }
    }
    this.owner = fillDown(placed);
  }

  pick(hashKey: string, exclude: number, down?: Uint8Array | null): number {
    const start = hash32(hashKey) % this.points;
    const index = this.owner[start] ?? -1;
    if (index === -1 || (index !== exclude && down?.[index] !== 1)) return index;
    // A retry, or an unhealthy owner: the next owner down the continuum that is neither.
    for (let step = 1; step < this.points; step++) {
      const p = start - step < 0 ? start - step + this.points : start - step;
      const other = this.owner[p] ?? -1;
      if (other !== exclude && down?.[other] !== 1) return other;
    }
    return exclude >= 0 && down?.[exclude] !== 1 ? exclude : -1;
  }

  started(): void {
    // Nothing to count.
  }
  finished(): void {
    // Nothing to learn.
  }
}

/** Every point resolved to the owner of the nearest placed point at or below it, wrapping around. */
function fillDown(placed: Int32Array): Int32Array {
  const out = new Int32Array(placed.length);
  let last = -1;
  for (let i = placed.length - 1; i >= 0 && last === -1; i--) last = placed[i] ?? -1;
  for (let i = 0; i < placed.length; i++) {
    const p = placed[i] ?? -1;
    if (p !== -1) last = p;
    out[i] = last;
  }
  return out;
}

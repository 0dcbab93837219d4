import type { Algorithm, BalancerEntry } from './types';

/** How fast an observation fades (Kong's decay time, 10 s). */
const DECAY_MS = 10_000;

/**
 * Latency (Kong's EWMA balancer): each entry keeps an exponentially weighted
 * moving average of its response times, decaying with the time since it was
 * last updated; the lowest `ewma / weight` wins, ties in turn. An entry with
 * no observation yet starts at the average of the others (Kong's slow start),
 * so a new entry is neither flooded nor starved.
 */
export class Latency implements Algorithm {
  private readonly ewma: Float64Array;
  private readonly touched: Float64Array;
  private readonly seen: Uint8Array;
  private readonly weights: readonly number[];
  private next = 0;

  constructor(entries: readonly BalancerEntry[]) {
    this.weights = entries.map((e) => e.weight);
    this.ewma = new Float64Array(entries.length);
    this.touched = new Float64Array(entries.length);
    this.seen = new Uint8Array(entries.length);
  }

  pick(_hashKey: string, exclude: number, down?: Uint8Array | null): number {
    const n = this.weights.length;
    const now = performance.now();
    const start = this.startValue();
    let best = -1;
    let bestScore = Infinity;
    const from = this.next;
    for (let k = 0; k < n; k++) {
      const i = (from + k) % n;
      const w = this.weights[i] ?? 0;
      if (w === 0 || i === exclude || down?.[i] === 1) continue;
      const value = this.seen[i] === 1 ? this.decayed(i, 0, now) : start;
      const score = value / w;
      if (score < bestScore) {
        best = i;
        bestScore = score;
      }
    }
    this.next = (from + 1) % Math.max(n, 1);
    if (best === -1 && exclude >= 0 && (this.weights[exclude] ?? 0) > 0 && down?.[exclude] !== 1) return exclude;
    return best;
  }

  started(): void {
    // Nothing to count.
  }

  finished(index: number, ms: number | null): void {
    if (ms === null) return;
    const now = performance.now();
    this.ewma[index] = this.seen[index] === 1 ? this.decayed(index, ms, now) : ms;
    this.touched[index] = now;
    this.seen[index] = 1;
  }

  /** The average decays toward `sample` with the time since the last update. */
  private decayed(i: number, sample: number, now: number): number {
    const weight = Math.exp(-Math.max(0, now - (this.touched[i] ?? 0)) / DECAY_MS);
    return (this.ewma[i] ?? 0) * weight + sample * (1 - weight);
  }

  private startValue(): number {
    let sum = 0;
    let count = 0;
    for (let i = 0; i < this.ewma.length; i++) {
      if (this.seen[i] === 0) continue;
      sum += this.ewma[i] ?? 0;
      count++;
    }
    return count === 0 ? 0 : sum / count;
  }
}

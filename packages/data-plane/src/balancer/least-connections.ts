import type { Algorithm, BalancerEntry } from './types';

/**
 * Least connections (Kong's): the entry with the fewest requests in flight
 * for its weight, `(active + 1) / weight`, wins; ties go round in turn.
 * Weight 0 entries are never picked.
 */
export class LeastConnections implements Algorithm {
  private readonly active: Int32Array;
  private readonly weights: readonly number[];
  private next = 0;

  constructor(entries: readonly BalancerEntry[]) {
    this.weights = entries.map((e) => e.weight);
    this.active = new Int32Array(entries.length);
  }

  pick(_hashKey: string, exclude: number, down?: Uint8Array | null): number {
    const n = this.weights.length;
    let best = -1;
    let bestScore = Infinity;
    const from = this.next;
    for (let k = 0; k < n; k++) {
      const i = (from + k) % n;
      const w = this.weights[i] ?? 0;
      if (w === 0 || i === exclude || down?.[i] === 1) continue;
      const score = ((this.active[i] ?? 0) + 1) / w;
      if (score < bestScore) {
        best = i;
        bestScore = score;
      }
    }
    this.next = (from + 1) % Math.max(n, 1);
    if (best === -1 && exclude >= 0 && (this.weights[exclude] ?? 0) > 0 && down?.[exclude] !== 1) return exclude;
    return best;
  }

  started(index: number): void {
    this.active[index] = (this.active[index] ?? 0) + 1;
  }

  finished(index: number): void {
    const n = this.active[index] ?? 0;
    if (n > 0) this.active[index] = n - 1;
  }
}

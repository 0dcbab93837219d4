import type { Algorithm, BalancerEntry } from './types';

/** Past this many wheel slots the weights are scaled down (the proportions kept to within a slot each). */
const MAX_WHEEL = 1 << 20;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The weights as wheel slots: each divided by their common divisor, scaled down if the wheel would be huge. */
function slotsOf(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) return weights.map(() => 0);
  const scaled = total > MAX_WHEEL ? weights.map((w) => (w === 0 ? 0 : Math.max(1, Math.floor((w * MAX_WHEEL) / total)))) : [...weights];
  const divisor = scaled.reduce((d, w) => gcd(d, w), 0);
  return scaled.map((w) => w / divisor);
}

/**
 * Weighted round-robin, as Kong's wheel: each entry takes weight/gcd slots of
 * a wheel shuffled once, and requests walk the wheel in turn, so over one
 * turn every entry gets exactly its share. Weight 0 entries have no slot.
 */
export class RoundRobin implements Algorithm {
  private readonly wheel: Int32Array;
  private pointer: number;

  constructor(entries: readonly BalancerEntry[]) {
    const slots = slotsOf(entries.map((e) => e.weight));
    const wheel = new Int32Array(slots.reduce((a, b) => a + b, 0));
    let at = 0;
    slots.forEach((n, index) => {
      for (let i = 0; i < n; i++) wheel[at++] = index;
    });
    for (let i = wheel.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      const t = wheel[i] ?? 0;
      wheel[i] = wheel[j] ?? 0;
      wheel[j] = t;
    }
    this.wheel = wheel;
    this.pointer = wheel.length === 0 ? 0 : Math.floor(Math.random() * wheel.length);
  }

  pick(_hashKey: string, exclude: number, down?: Uint8Array | null): number {
    const size = this.wheel.length;
    if (size === 0) return -1;
    for (let tried = 0; tried < size; tried++) {
      this.pointer = this.pointer + 1 === size ? 0 : this.pointer + 1;
      const index = this.wheel[this.pointer] ?? -1;
      if (index !== exclude && down?.[index] !== 1) return index;
    }
    return exclude >= 0 && down?.[exclude] === 1 ? -1 : exclude;
  }

  started(): void {
    // Nothing to count.
  }
  finished(): void {
    // Nothing to learn.
  }
}

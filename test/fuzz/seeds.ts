import fc from 'fast-check';

/**
 * Seeds every fuzz suite runs with: fixed ones (the same inputs on every run,
 * so CI is repeatable) plus one random seed per run (new inputs each time).
 * `GATEHOUSE_FUZZ_SEED=<n>` replaces them all with one seed, to replay a
 * failure exactly.
 */
export function fuzzSeeds(): number[] {
  const replay = process.env.GATEHOUSE_FUZZ_SEED;
  if (replay !== undefined && replay !== '') return [Number(replay)];
  return [20260101, 424242, Math.floor(Math.random() * 0x7fffffff)];
}

/**
 * Runs an async property once per seed. A failure is rethrown with the seed
 * and how to replay it in the message, since a random seed is otherwise lost.
 */
export async function assertWithSeeds<Ts extends [unknown, ...unknown[]]>(
  property: (seed: number) => fc.IAsyncProperty<Ts> | fc.IProperty<Ts>,
  numRuns: number,
): Promise<void> {
  for (const seed of fuzzSeeds()) {
    try {
      await fc.assert(property(seed), { seed, numRuns, endOnFailure: true });
    } catch (err) {
      const text = (e: unknown): string => (typeof e === 'object' && e !== null && 'message' in e ? String(e.message) : String(e));
      // fast-check 4 keeps the property's own error as the cause: that is the line that says what went wrong.
      const cause = typeof err === 'object' && err !== null && 'cause' in err ? `\ncaused by: ${text(err.cause)}` : '';
      const message = `${text(err)}${cause}`;
      throw new Error(`fuzz failure with seed ${seed} (replay: GATEHOUSE_FUZZ_SEED=${seed} npx jest <this file>)\n${shorten(message)}`, { cause: err });
    }
  }
}

/** Counterexamples can be megabytes (deep nesting, huge strings): runs of one character are counted, not printed. */
function shorten(message: string): string {
  const compact = message.replace(/(.)\1{39,}/gs, (run, ch: string) => `${ch}<×${run.length}>`);
  return compact.length > 6000 ? `${compact.slice(0, 3000)}\n…\n${compact.slice(-3000)}` : compact;
}

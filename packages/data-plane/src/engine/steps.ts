/**
 * Long work written as a generator that `yield`s at points where it may be
 * paused (between routes, between plugins). The same generator runs to the
 * end in one go (`runSteps`) or spread over turns of the event loop
 * (`runStepsInSlices`), so the synchronous and the sliced compile share one
 * code path. A step generator must keep everything it builds to itself until
 * it returns: pausing it never exposes half a result.
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs a step generator to the end in this turn and answers its result. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** What a sliced run measured: its wall time, the CPU time of its slices, and the longest slice. */
export interface SliceStats {
  slices: number;
  busyMs: number;
  longestSliceMs: number;
}

/** Why a sliced run stopped before the end: `keepGoing` answered false between two slices. */
export class StepsAbandoned extends Error {
  constructor() {
    super('abandoned between slices');
    this.name = 'StepsAbandoned';
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs a step generator in slices of about `sliceMs` of CPU each, letting
 * the event loop serve I/O (requests in flight) between slices. Before each
 * slice `keepGoing()` is asked; when it answers false the generator is closed
 * (its `finally` blocks run) and the promise rejects with StepsAbandoned.
 * An exception thrown by the generator rejects the promise with it.
 */
export async function runStepsInSlices<T>(steps: Steps<T>, options: { sliceMs: number; keepGoing: () => boolean; stats?: SliceStats }): Promise<T> {
  const stats = options.stats ?? { slices: 0, busyMs: 0, longestSliceMs: 0 };
  for (;;) {
    await nextTurn();
    if (!options.keepGoing()) {
      steps.return(undefined as T);
      throw new StepsAbandoned();
    }
    const started = performance.now();
    let now: number;
    let r: IteratorResult<void, T>;
    do {
      r = steps.next();
      now = performance.now();
    } while (!r.done && now - started < options.sliceMs);
    stats.slices++;
    stats.busyMs += now - started;
    stats.longestSliceMs = Math.max(stats.longestSliceMs, now - started);
    if (r.done) return r.value;
  }
}

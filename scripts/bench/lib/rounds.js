'use strict';
/**
 * The measuring loop the newer scenarios share with the proxy benchmark's
 * method: a warm-up per target, then rounds in which every target runs once
 * in an order rotated each round, each measured run after one unmeasured
 * second on the same target; ratios are medians of per-round ratios.
 */
const { median, fmtInt } = require('./stats');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

/**
 * `measure(target, seconds)` resolves a sample `{rps, …}`; answers
 * `{[key]: sample[]}` with one sample per round.
 */
async function inRounds(targets, measure, log, { rounds = ROUNDS, seconds = SECONDS } = {}) {
  const samples = Object.fromEntries(targets.map((t) => [t.key, []]));
  for (const t of targets) await named(t, measure(t, 1));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < targets.length; i++) {
      const t = targets[(i + r) % targets.length];
      await named(t, measure(t, 1));
      samples[t.key].push(await named(t, measure(t, seconds)));
    }
    log(`  round ${r + 1}/${rounds}: ${targets.map((t) => `${t.key} ${fmtInt(samples[t.key][r].rps)}`).join(', ')}`);
  }
  return samples;
}

/** A failed measurement names its target. */
function named(target, measurement) {
  return measurement.catch((err) => {
    throw new Error(`${target.key}: ${err.message}`, { cause: err });
  });
}

/** `a` over `b` (sample lists of the same rounds): the median of the per-round ratios of `field`. */
function ratioOf(a, b, field = 'rps') {
  return median(a.map((x, r) => x[field] / b[r][field]));
}

/** The median of one field over the rounds. */
const medianOf = (samples, field = 'rps') => median(samples.map((s) => s[field]));

module.exports = { inRounds, ratioOf, medianOf, ROUNDS, SECONDS };

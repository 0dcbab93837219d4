'use strict';
// Writes the soak's figures into docs/benchmarks.md under "## Soak",
// replacing only that section (the rest of the file belongs to the benchmarks).
const fs = require('node:fs');
const path = require('node:path');

const FILE = path.resolve(__dirname, '..', '..', 'docs', 'benchmarks.md');

function section(r) {
  const heap = (p) => (p.heap_floor_growth_pct === null ? '–' : `${p.heap_floor_after_warmup_mb} → ${p.heap_floor_end_mb} (${p.heap_floor_growth_pct}%)`);
  const rows = r.processes.map(
    (p) =>
      `| ${p.name} | ${p.rss_floor_after_warmup_mb} → ${p.rss_floor_end_mb} (${p.rss_floor_growth_pct}%) | ${p.rss_median_growth_pct}% | ${p.rss_max_mb} | ${heap(p)} | ${p.fds_after_warmup} → ${p.fds_end} (max ${p.fds_max}) | ${p.ok ? 'yes' : 'NO'} |`,
  );
  const kinds = Object.entries(r.traffic.byKind).map(
    ([k, v]) =>
      `${k} ${Object.entries(v)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ')}`,
  );
  return [
    '## Soak',
    '',
    `\`node scripts/soak.js --duration ${r.duration_s / 60} --change-every ${r.change_every_s}${r.warmup_s === Math.max(10, Math.round(r.duration_s / 5)) ? '' : ` --warmup ${r.warmup_s}`}\` (${r.date}, ${r.machine}): ${r.duration_s / 60} minutes of mixed proxy`,
    `traffic at ${r.rate_per_s} req/s over ${r.concurrency} keep-alive connections and a config change every ${r.change_every_s} s`,
    r.churn === 'routes'
      ? `(${r.changes} changes, \`--churn routes\`: a route added, one removed, a plugin retuned); CP with embedded PostgreSQL, DP from the`
      : `(${r.changes} changes: a service, its route and a rate-limiting plugin added, the pair from two changes before removed, a plugin retuned;\nevery request also counted by a global prometheus plugin); CP with embedded PostgreSQL, DP from the`,
    `launch script. After a ${r.warmup_s} s warm-up the first fifth of the rest is compared with the last fifth. V8 lets`,
    "RSS climb for minutes and gives it back in one compaction, so the judged figure is each window's floor (lowest",
    "RSS, and the lowest JavaScript heap in use, i.e. live data after a collection: the DP's from its /metrics, the",
    "CP's from scripts/soak/heap-probe.js): a leak raises the",
    `floor. Limit ${r.max_growth_pct}%. The median RSS change is shown for comparison.`,
    '',
    '| process | RSS floor MiB (growth) | RSS median growth | RSS max MiB | heap floor MiB (growth) | open fds | flat |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Requests: ${r.traffic.total} (${(r.traffic.total / r.duration_s).toFixed(0)}/s achieved); answers the traffic did not ask for: **${r.traffic.unexpected}**; failed config changes: ${r.change_errors}.`,
    `By kind and status: ${kinds.join('; ')}.`,
    `Verdict: **${r.ok ? 'pass' : 'FAIL'}**.`,
    '',
  ].join('\n');
}

/** Replaces (or appends) the "## Soak" section of docs/benchmarks.md. */
function writeSoakSection(result) {
  const text = fs.existsSync(FILE) ? fs.readFileSync(FILE, 'utf8') : '# Benchmarks\n';
  const start = text.search(/^## Soak\s*$/m);
  let out;
  if (start < 0) out = `${text.trimEnd()}\n\n${section(result)}`;
  else {
    const rest = text.slice(start + 1);
    const next = rest.search(/^## /m);
    out = `${text.slice(0, start)}${section(result)}${next < 0 ? '' : `\n${rest.slice(next)}`}`;
  }
  fs.writeFileSync(FILE, out.endsWith('\n') ? out : `${out}\n`);
}

module.exports = { writeSoakSection };

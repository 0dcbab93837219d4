'use strict';
/**
 * The benchmark's output: one table on the console, and the figures written
 * into docs/benchmarks.md between per-suite markers, so a subset run
 * (`npm run bench -- proxy`) replaces only its own suite's block and the
 * hand-written method and notes around the blocks stay as they are.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT } = require('./processes');

const DOC = path.join(ROOT, 'docs', 'benchmarks.md');

function version(cmd, args) {
  // nginx -v prints to stderr and wrk --version exits 1: read both streams, ignore the status.
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) return 'not found';
  return `${r.stdout}${r.stderr}`.trim().split('\n')[0];
}

/** The machine the figures were measured on. */
function machine() {
  return {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memory: `${Math.round(os.totalmem() / (1 << 30))} GiB`,
    node: process.version,
    nginx: version('/usr/sbin/nginx', ['-v']).replace('nginx version: ', ''),
    wrk: version('wrk', ['--version']).split(' [')[0],
    haproxy: version('haproxy', ['-v']).replace(/^HAProxy version (\S+).*$/, '$1'),
    caddy: version('caddy', ['version']).split(' ')[0],
    h2load: version('h2load', ['--version']).replace('h2load ', ''),
    load: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}

function markdownTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** The one table: every figure of the suites that ran, then the targets with met / not met. */
function table(results) {
  const figures = markdownTable(
    ['suite', 'figure', 'measured', 'ratio (same run)'],
    results.flatMap((r) => r.rows.map((x) => [x.suite, x.figure, x.measured, x.ratio])),
  );
  const targets = results.flatMap((r) => r.targets);
  const goals =
    targets.length === 0
      ? ''
      : `\n\n${markdownTable(
          ['suite', 'target', 'measured', 'goal', 'met'],
          targets.map((t) => [t.suite, t.what, t.value, t.goal, t.met ? 'yes' : 'NO']),
        )}`;
  return figures + goals;
}

/** Replaces (or appends) each suite's block in docs/benchmarks.md. */
function writeDoc(results, info, command) {
  let doc = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : '# Benchmarks\n';
  const m = info.machine;
  for (const r of results) {
    const begin = `<!-- bench:${r.suite}:begin -->`;
    const end = `<!-- bench:${r.suite}:end -->`;
    const block = [
      begin,
      `Measured ${info.date} with \`${command}\` on ${m.nproc} × ${m.cpu}, ${m.memory}, Node ${m.node}, nginx ${m.nginx}, HAProxy ${m.haproxy}, Caddy ${m.caddy}, ${m.wrk}, h2load ${m.h2load}; load average at start ${m.load}. ${r.note ?? ''}`.trim(),
      '',
      table([r]),
      end,
    ].join('\n');
    const i = doc.indexOf(begin);
    const j = doc.indexOf(end);
    doc = i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
  }
  fs.writeFileSync(DOC, doc);
  return DOC;
}

module.exports = { machine, table, writeDoc };

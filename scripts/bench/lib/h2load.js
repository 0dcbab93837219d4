'use strict';
/**
 * HTTP/2 load with h2load (nghttp2-client): `-t1 -c<connections>
 * -m<streams>` for `seconds`, over TLS with ALPN h2 for an https URL, or
 * cleartext HTTP/2 with prior knowledge for an http one. Answers
 * `{rps, mean, requests}` (mean request time in ms; h2load prints no
 * percentiles); a run with a failed, errored or non-2xx request is refused.
 */
const { execFile } = require('node:child_process');
const { requireTool } = require('./tools');

const UNIT_MS = { us: 0.001, ms: 1, s: 1000 };

/** Reads h2load's summary. */
function parseH2load(out) {
  const rps = /finished in [\d.]+\w+, ([\d.]+) req\/s/.exec(out);
  const req = /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(out);
  const codes = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(out);
  const time = /time for request:\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)\s/.exec(out);
  const proto = /Application protocol: (\S+)/.exec(out);
  if (!rps || !req || !codes) throw new Error(`h2load: unexpected output:\n${out}`);
  return {
    rps: Number(rps[1]),
    requests: Number(req[4]),
    failed: Number(req[5]) + Number(req[6]) + Number(req[7]),
    non2xx: Number(codes[2]) + Number(codes[3]) + Number(codes[4]),
    mean: time ? Number(time[1]) * UNIT_MS[time[2]] : NaN,
    protocol: proto ? proto[1] : null,
  };
}

/** `count` instead of `seconds`: that many requests (`-n`), however long they take. */
function h2load(url, { seconds = 3, count = 0, connections = 10, streams = 10, headers = {} } = {}) {
  const bin = requireTool('h2load');
  const args = ['-t1', `-c${connections}`, `-m${streams}`, ...(count > 0 ? [`-n${count}`] : [`-D${seconds}`, '--warm-up-time=0'])];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: (seconds + 60) * 1000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`h2load ${url} failed (exit ${err.code ?? err.signal}): ${stderr}${stdout.slice(-400)}`));
      let r;
      try {
        r = parseH2load(stdout);
      } catch (e) {
        return reject(e);
      }
      if (r.protocol !== 'h2' && r.protocol !== 'h2c') return reject(new Error(`h2load ${url}: spoke ${r.protocol}, not HTTP/2`));
      if (r.failed > 0 || r.non2xx > 0) return reject(new Error(`h2load ${url}: ${r.failed} failed and ${r.non2xx} non-2xx out of ${r.requests + r.failed}`));
      resolve(r);
    });
  });
}

module.exports = { h2load, parseH2load };

'use strict';
/**
 * Load generators. `wrk` for throughput at saturation (one thread, fixed
 * connections, a few seconds); a small paced client for latency at a fixed
 * moderate rate, since wrk2 is not available here. Both hit 127.0.0.1 only.
 */
const { execFile } = require('node:child_process');
const http = require('node:http');
const https = require('node:https');

const UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function toMs(text) {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) throw new Error(`wrk: cannot read the duration "${text}"`);
  return Number(m[1]) * UNIT_MS[m[2]];
}

/** Reads requests/s, p50/p99 (ms) and the non-2xx/3xx and socket-error counts from wrk's --latency report. */
function parseWrk(out) {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const p50 = /^\s+50%\s+(\S+)/m.exec(out);
  const p99 = /^\s+99%\s+(\S+)/m.exec(out);
  const total = /(\d+) requests in/.exec(out);
  if (!rps || !p50 || !p99 || !total) throw new Error(`wrk: unexpected output:\n${out}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out);
  const sockErr = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = sockErr ? sockErr.slice(1).reduce((s, n) => s + Number(n), 0) : 0;
  return { rps: Number(rps[1]), p50: toMs(p50[1]), p99: toMs(p99[1]), requests: Number(total[1]), non2xx: non2xx ? Number(non2xx[1]) : 0, errors };
}

/**
 * Saturates `url` with wrk (-t1 -c`connections` for `seconds`) and answers
 * `{rps, p50, p99, requests, non2xx, errors}`. A run with failed answers is
 * refused (an error page is not a measurement).
 */
function wrk(url, { seconds = 3, connections = 50, headers = {} } = {}) {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '--timeout', '5s'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    execFile('wrk', args, { timeout: (seconds + 20) * 1000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`wrk ${url} failed: ${err.message}\n${stderr}`));
      let r;
      try {
        r = parseWrk(stdout);
      } catch (e) {
        return reject(e);
      }
      if (r.non2xx > 0 || r.errors > r.requests * 0.001)
        return reject(new Error(`wrk ${url}: ${r.non2xx} non-2xx answers and ${r.errors} socket errors out of ${r.requests}`));
      resolve(r);
    });
  });
}

function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * Sends `rate` requests/s to `url` for `seconds` over at most `connections`
 * keep-alive connections, each request due at a fixed time. Latency runs
 * from when a request was due (not when a socket freed up), so a stall counts
 * in full (no coordinated omission). Answers p50/p99/max in ms and the
 * number of failed requests.
 */
function paced(url, { rate = 1000, seconds = 4, connections = 16, headers = {} } = {}) {
  const u = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const total = Math.round(rate * seconds);
  const latencies = [];
  let failed = 0;
  let sent = 0;
  let finished = 0;
  return new Promise((resolve) => {
    const t0 = performance.now() + 20;
    const fire = (due) => {
      const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, agent, headers }, (res) => {
        res.resume();
        res.once('end', () => {
          if (res.statusCode >= 400) failed++;
          else latencies.push(performance.now() - due);
          done();
        });
      });
      req.once('error', () => {
        failed++;
        done();
      });
      req.end();
    };
    const done = () => {
      if (++finished < total) return;
      agent.destroy();
      latencies.sort((a, b) => a - b);
      resolve({
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        max: latencies[latencies.length - 1] ?? NaN,
        failed,
        count: latencies.length,
      });
    };
    // A 1 ms tick sends whatever has come due; per-request timers would cost more than they measure.
    const tick = () => {
      const now = performance.now();
      while (sent < total && t0 + (sent * 1000) / rate <= now) fire(t0 + (sent++ * 1000) / rate);
      if (sent < total) setTimeout(tick, 1);
    };
    setTimeout(tick, 20);
  });
}

/**
 * Requests `url` every `1000 / rate` ms until `stop()` (one at a time per
 * free connection, timed from when each was due), to see how long a request
 * waits while the server's event loop is busy, e.g. applying a config.
 * `stop()` resolves `{max, p99, count, failed}` in ms.
 */
function probe(url, { rate = 500, connections = 8 } = {}) {
  const u = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  let failed = 0;
  let stopped = false;
  let inFlight = 0;
  let drained = null;
  const t0 = performance.now();
  let sent = 0;
  const fire = (due) => {
    inFlight++;
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, agent }, (res) => {
      res.resume();
      res.once('end', () => finish(res.statusCode < 400, due));
    });
    req.once('error', () => finish(false, due));
    req.end();
  };
  const dueAt = [];
  const finish = (ok, due) => {
    if (ok) {
      latencies.push(performance.now() - due);
      dueAt.push(performance.timeOrigin + due);
    } else failed++;
    if (--inFlight === 0 && drained) drained();
  };
  const tick = () => {
    if (stopped) return;
    const now = performance.now();
    while (t0 + (sent * 1000) / rate <= now) fire(t0 + (sent++ * 1000) / rate);
    setTimeout(tick, 1);
  };
  setTimeout(tick, 1);
  return {
    async stop() {
      stopped = true;
      if (inFlight > 0) await new Promise((resolve) => (drained = resolve));
      agent.destroy();
      const sorted = latencies.slice().sort((a, b) => a - b);
      // maxWithin(from, to): the slowest request due in that window (Date.now() scale, like the processes' log times).
      const maxWithin = (from, to) => latencies.reduce((m, l, i) => (dueAt[i] >= from && dueAt[i] <= to && l > m ? l : m), 0);
      return { max: sorted[sorted.length - 1] ?? NaN, p99: percentile(sorted, 0.99), p50: percentile(sorted, 0.5), count: sorted.length, failed, maxWithin };
    },
  };
}

/** One GET (https: the benchmark's self-signed certificates accepted); resolves `{status, body, headers}` (bounded by `timeoutMs`). */
function get(url, headers = {}, timeoutMs = 5000) {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, { headers, agent: false, rejectUnauthorized: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, body, headers: res.headers }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

module.exports = { wrk, paced, probe, get, parseWrk, percentile };

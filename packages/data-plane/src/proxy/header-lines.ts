import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';

/**
 * True when the client sent some header on more than one line. Node's
 * `req.headers` then holds fewer names than `req.rawHeaders` has lines: it
 * keeps only the first line of some headers (User-Agent, Authorization,
 * Content-Type, Referer…) and joins the others with `, ` (`; ` for Cookie).
 * Counts names without allocating: it runs on every request.
 */
export function repeatsHeaderLines(req: IncomingMessage): boolean {
  const headers = req.headers;
  let names = 0;
  for (const name in headers) if (name !== '') names++;
  return names * 2 !== req.rawHeaders.length;
}

/**
 * The upstream headers with each header the client repeated sent again as
 * the lines it arrived as, as nginx (and so Kong) forwards them, where Node
 * had folded them. Only headers nobody changed are restored: whatever the
 * proxy set (X-Forwarded-For, Via, TE…) or a plugin set, removed or added
 * stays as set. `upstream` must be a copy of the client's headers, not
 * `req.headers` itself (compared against it); it is changed and returned.
 */
export function keepRepeatedLines(upstream: OutgoingHttpHeaders, req: IncomingMessage): OutgoingHttpHeaders {
  const folded = req.headers;
  const raw = req.rawHeaders;
  const lines = new Map<string, string[]>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase();
    const value = raw[i + 1] ?? '';
    const seen = lines.get(name);
    if (seen === undefined) lines.set(name, [value]);
    else seen.push(value);
  }
  for (const [name, values] of lines) {
    if (values.length < 2) continue;
    const sent = upstream[name];
    if (sent === undefined || sent !== folded[name]) continue;
    upstream[name] = values;
  }
  return upstream;
}

/**
 * A response head's header lines (Node's `rawHeaders`) as an object that
 * keeps every line: names lower case, a repeated header as an array of its
 * lines in order (Node writes each as its own line). For the WebSocket
 * relay, whose upstream answers come from Node's client, where
 * `res.headers` folds repeats as `req.headers` does.
 */
export function headersFromLines(raw: readonly string[]): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase();
    const value = raw[i + 1] ?? '';
    const seen = out[name];
    if (seen === undefined) out[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else out[name] = [String(seen), value];
  }
  return out;
}

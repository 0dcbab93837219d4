import { z } from 'zod';
import { listenAddress, type ListenAddress } from '@gatehouse/protocol/node';

/** One stream listener (an entry of Kong's `stream_listen`): its address, and whether it terminates TLS (`ssl`). */
export interface StreamListenAddress extends ListenAddress {
  ssl: boolean;
  /** `backlog=N`: the listen queue's length (Node's default 511 when absent). */
  backlog?: number;
}

/** Kong's flags that change nothing here: Node's cluster shares the port between workers (`reuseport`) and binds each address itself. */
const NO_EFFECT = new Set(['reuseport', 'deferred', 'bind']);
const USAGE = 'must be of form: off | <ip>:<port> [ssl] [reuseport] [backlog=N], ...';

function parseEntry(entry: string): StreamListenAddress | string {
  const [address = '', ...flags] = entry.trim().split(/\s+/);
  const parsed = listenAddress.safeParse(address);
  if (!parsed.success) return `${parsed.error.issues[0]?.message ?? 'expected host:port'} in '${entry.trim()}' (${USAGE})`;
  const out: StreamListenAddress = { ...parsed.data, ssl: false };
  for (const flag of flags) {
    if (flag === 'ssl') out.ssl = true;
    else if (/^backlog=\d+$/.test(flag)) out.backlog = Number(flag.slice('backlog='.length));
    else if (flag === 'udp') return "the udp flag is not supported: the stream proxy carries 'tcp', 'tls' and 'tls_passthrough'";
    else if (flag === 'proxy_protocol' || flag.startsWith('so_keepalive=')) return `the ${flag} flag is not supported`;
    else if (!NO_EFFECT.has(flag)) return `unknown flag '${flag}' (${USAGE})`;
  }
  return out;
}

/**
 * Parses GATEHOUSE_STREAM_LISTEN (Kong's `stream_listen`): `off` (the
 * default: no stream listener), or comma-separated `<ip>:<port>` entries,
 * each with Kong's flags (`ssl`: the listener terminates TLS, for `tls` routes).
 */
export function parseStreamListen(value: string): StreamListenAddress[] | string {
  if (value.trim() === 'off' || value.trim() === '') return [];
  const out: StreamListenAddress[] = [];
  for (const entry of value.split(',')) {
    const parsed = parseEntry(entry);
    if (typeof parsed === 'string') return parsed;
    out.push(parsed);
  }
  return out;
}

/** GATEHOUSE_STREAM_LISTEN as a settings field: the listeners, none when `off`. */
export const streamListenSetting = z.string().transform((value, ctx) => {
  const parsed = parseStreamListen(value);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  }
  return parsed;
});

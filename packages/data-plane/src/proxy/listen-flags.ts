import { z } from 'zod';
import { listenAddress, type ListenAddress } from '@gatehouse/protocol/node';

/**
 * A proxy listener's address with the flags Kong's `proxy_listen` takes after
 * it (`0.0.0.0:8000 http2`, `0.0.0.0:8443 http2 ssl backlog=16384`).
 */
export interface ProxyListenAddress extends ListenAddress {
  /** HTTP/2: ALPN `h2` on the TLS listener; cleartext HTTP/2 with prior knowledge beside HTTP/1.1 on a plain one. */
  http2: boolean;
  /** `backlog=N`: the listen queue's length (Node's default 511 when absent). */
  backlog?: number;
  /** `ipv6only=on|off` on an IPv6 address. */
  ipv6Only?: boolean;
}

/** Kong's flags that change nothing here: Node's cluster shares the port between workers (`reuseport`), and binds each address itself (`bind`, `deferred`). */
const NO_EFFECT = new Set(['reuseport', 'deferred', 'bind']);
/** Kong's flags with a behaviour this proxy does not have: refused rather than silently ignored. */
const UNSUPPORTED = /^(proxy_protocol|so_keepalive=.*)$/;

const USAGE = 'must be of form: [off] | <ip>:<port> [ssl] [http2] [reuseport] [backlog=N] [ipv6only=on|off] [deferred] [bind]';

/**
 * Parses one listener: `<ip>:<port>` then Kong's flags, separated by spaces.
 * `tls` tells whether this is the TLS listener, where `ssl` is implied; on
 * the plain one it is refused (the TLS listener has its own setting).
 */
export function parseProxyListen(value: string, tls: boolean): ProxyListenAddress | string {
  const [address = '', ...flags] = value.trim().split(/\s+/);
  const parsed = listenAddress.safeParse(address);
  if (!parsed.success) return `${parsed.error.issues[0]?.message ?? 'expected host:port'} (${USAGE})`;
  const out: ProxyListenAddress = { ...parsed.data, http2: false };
  for (const flag of flags) {
    if (flag === 'http2') out.http2 = true;
    else if (flag === 'ssl') {
      if (!tls) return 'the ssl flag belongs on GATEHOUSE_PROXY_TLS_LISTEN (the TLS listener has its own setting)';
    } else if (/^backlog=\d+$/.test(flag)) out.backlog = Number(flag.slice('backlog='.length));
    else if (flag === 'ipv6only=on' || flag === 'ipv6only=off') out.ipv6Only = flag === 'ipv6only=on';
    else if (UNSUPPORTED.test(flag)) return `the ${flag} flag is not supported`;
    else if (!NO_EFFECT.has(flag)) return `unknown flag '${flag}' (${USAGE})`;
  }
  return out;
}

function setting<T>(parse: (value: string) => T | string): z.ZodType<T, string> {
  return z.string().transform((value, ctx) => {
    const parsed = parse(value);
    if (typeof parsed === 'string') {
      ctx.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    }
    return parsed;
  });
}

/** GATEHOUSE_PROXY_LISTEN: the plain listener, `<ip>:<port>` and Kong's flags. */
export const plainListenSetting = setting((v) => parseProxyListen(v, false));

/** GATEHOUSE_PROXY_TLS_LISTEN: the TLS listener, `<ip>:<port>` and Kong's flags, or `off` (null). */
export const tlsListenSetting = setting<ProxyListenAddress | null>((v) => (v.trim() === 'off' ? null : parseProxyListen(v, true)));

/** Where the TLS listener opens when only a certificate is given: Kong's default second `proxy_listen` entry. */
export const DEFAULT_TLS_LISTEN: ProxyListenAddress = { host: '0.0.0.0', port: 8443, http2: true };

import type { PluginContext, ConsumerInfo } from '../context';
import type { ConsumerIndex } from '../consumers';
import type { PluginHandler } from '../types';
import type { Logger } from '../../logging';
import { setAnonymous, setConsumer } from '../consumer-headers';
import { bodyField, deleteBodyField, parseBody, serializeBody } from '../request-body';
import type { KeyAuthConfig } from './schema';

interface Prepared {
  /** Key names as configured (query and body are case-sensitive) and lower-cased (headers). */
  names: string[];
  headerNames: string[];
  inHeader: boolean;
  inQuery: boolean;
  inBody: boolean;
  hide: boolean;
  runOnPreflight: boolean;
  anonymous: string | null;
  anonymousConsumer: ConsumerInfo | undefined;
  consumers: ConsumerIndex;
  challenge: { 'www-authenticate': string };
  log: Logger;
}

/** What a search for the key found: the key, a key given twice, or nothing. */
const DUPLICATE = Symbol('duplicate key');
type Found = string | typeof DUPLICATE | null;

/** Looks for the key in headers, then the query, name by name (Kong's order). */
function findKey(ctx: PluginContext, p: Prepared): Found {
  for (const [i, name] of p.names.entries()) {
    const headerName = p.headerNames[i];
    if (p.inHeader && headerName !== undefined) {
      const v = ctx.headers[headerName];
      if (typeof v === 'string') {
        if (p.hide) delete ctx.upstreamHeaders[headerName];
        return v;
      }
    }
    if (p.inQuery) {
      const q = ctx.query();
      const all = q.getAll(name);
      if (all.length > 1) return DUPLICATE;
      const [only] = all;
      if (only !== undefined) {
        if (p.hide) {
          q.delete(name);
          ctx.setQuery(q);
        }
        return only;
      }
    }
  }
  return null;
}

/** Looks in a JSON or urlencoded body (key_in_body), removing the key there when hiding credentials. */
async function findKeyInBody(ctx: PluginContext, p: Prepared): Promise<Found> {
  const body = parseBody(ctx.header('content-type'), await ctx.readBody());
  if (body === null) return null;
  for (const name of p.names) {
    const v = bodyField(body, name);
    if (Array.isArray(v)) return DUPLICATE;
    if (typeof v === 'string') {
      if (p.hide) {
        deleteBodyField(body, name);
        ctx.upstreamBody = serializeBody(body);
      }
      return v;
    }
  }
  return null;
}

function conclude(ctx: PluginContext, p: Prepared, found: Found): void {
  let message: string;
  if (found === null || found === '') message = 'No API key found in request';
  else if (found === DUPLICATE) message = 'Duplicate API key found';
  else {
    const cred = p.consumers.credentialForKey(found);
    if (cred !== undefined) {
      setConsumer(ctx, cred.consumer, cred.info);
      return;
    }
    message = 'Unauthorized';
  }
  if (p.anonymous !== null) setAnonymous(ctx, p.anonymousConsumer, p.anonymous, 'key-auth', p.log);
  else ctx.error(401, message, p.challenge);
}

/**
 * key-auth (priority 1250): finds an API key in a header, the query or the
 * body, and authenticates its consumer. Keys are matched by their SHA-256,
 * the only form the snapshot holds; a key seen before is one Map read
 * (`ConsumerIndex.credentialForKey`).
 */
export const keyAuthHandler: PluginHandler<KeyAuthConfig, Prepared> = {
  name: 'key-auth',
  priority: 1250,
  prepare(conf, env) {
    return {
      names: conf.key_names,
      headerNames: conf.key_names.map((n) => n.toLowerCase()),
      inHeader: conf.key_in_header,
      inQuery: conf.key_in_query,
      inBody: conf.key_in_body,
      hide: conf.hide_credentials,
      runOnPreflight: conf.run_on_preflight,
      anonymous: conf.anonymous,
      anonymousConsumer: conf.anonymous === null ? undefined : env.consumers.consumer(conf.anonymous),
      consumers: env.consumers,
      challenge: { 'www-authenticate': `Key realm="${conf.realm ?? 'kong'}"` },
      log: env.runtime.log,
    };
  },
  access(ctx, p) {
    if (!p.runOnPreflight && ctx.method === 'OPTIONS') return;
    // With anonymous set, auth plugins are alternatives: an earlier one already succeeded.
    if (p.anonymous !== null && ctx.credential !== null) return;
    const found = findKey(ctx, p);
    if (found === null && p.inBody) return findKeyInBody(ctx, p).then((f) => conclude(ctx, p, f));
    conclude(ctx, p, found);
  },
};

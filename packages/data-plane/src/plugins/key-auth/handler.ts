import type { PluginContext, ConsumerInfo } from '../context';
import type { ConsumerIndex } from '../consumers';
import type { PluginHandler } from '../types';
import type { Logger } from '../../logging';
import { setAnonymous, setConsumer } from '../consumer-headers';
import { DUPLICATE, findKey, type Found, type KeySearch } from './find-key';
import type { KeyAuthConfig } from './schema';

interface Prepared extends KeySearch {
  runOnPreflight: boolean;
  anonymous: string | null;
  anonymousConsumer: ConsumerInfo | undefined;
  consumers: ConsumerIndex;
  challenge: { 'www-authenticate': string };
  log: Logger;
}

/** Kong's header lookup finds `api_key` as sent, else as `api-key`. */
function headerNamesOf(keyName: string): string[] {
  const lower = keyName.toLowerCase();
  const hyphenated = lower.replaceAll('_', '-');
  return hyphenated === lower ? [lower] : [lower, hyphenated];
}

/** Kong ≥ 3.7: `Key` alone, or `Key realm="<realm>"` when the plugin sets a realm. */
export function keyChallenge(realm: string | null): string {
  return realm === null ? 'Key' : `Key realm="${realm}"`;
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
 * body (Kong's order, `find-key.ts`), and authenticates its consumer. Keys are
 * matched by their SHA-256, the only form the snapshot holds; a key seen
 * before is one Map read (`ConsumerIndex.credentialForKey`). Every 401 carries
 * the `WWW-Authenticate` challenge.
 */
export const keyAuthHandler: PluginHandler<KeyAuthConfig, Prepared> = {
  name: 'key-auth',
  priority: 1250,
  prepare(conf, env) {
    return {
      names: conf.key_names,
      headerNames: conf.key_names.map(headerNamesOf),
      inHeader: conf.key_in_header,
      inQuery: conf.key_in_query,
      inBody: conf.key_in_body,
      hide: conf.hide_credentials,
      runOnPreflight: conf.run_on_preflight,
      anonymous: conf.anonymous,
      anonymousConsumer: conf.anonymous === null ? undefined : env.consumers.consumer(conf.anonymous),
      consumers: env.consumers,
      challenge: { 'www-authenticate': keyChallenge(conf.realm) },
      log: env.runtime.log,
    };
  },
  access(ctx, p) {
    if (!p.runOnPreflight && ctx.method === 'OPTIONS') return;
    // With anonymous set, auth plugins are alternatives: an earlier one already succeeded.
    if (p.anonymous !== null && ctx.credential !== null) return;
    const found = findKey(ctx, p);
    if (found instanceof Promise) return found.then((f) => conclude(ctx, p, f));
    conclude(ctx, p, found);
  },
};

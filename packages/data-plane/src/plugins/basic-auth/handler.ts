import { createHash } from 'node:crypto';
import { verifyPassword } from '@gatehouse/protocol/node';
import type { PluginContext, ConsumerInfo } from '../context';
import type { ConsumerIndex } from '../consumers';
import type { PluginHandler } from '../types';
import type { Logger } from '../../logging';
import { setAnonymous, setConsumer } from '../consumer-headers';
import { VerifiedSecrets } from './verified-secrets';
import type { BasicAuthConfig } from './schema';

interface Prepared {
  hide: boolean;
  anonymous: string | null;
  anonymousConsumer: ConsumerInfo | undefined;
  consumers: ConsumerIndex;
  challenge: { 'www-authenticate': string };
  verified: VerifiedSecrets;
  log: Logger;
}

/** `Basic base64(user:password)` → its parts, or null when the header is not Basic or malformed. */
export function parseBasic(value: string | undefined): { username: string; password: string } | null {
  if (value === undefined) return null;
  const encoded = /^\s*Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(value)?.[1];
  if (encoded === undefined) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function reject(ctx: PluginContext, p: Prepared): void {
  if (p.anonymous !== null) setAnonymous(ctx, p.anonymousConsumer, p.anonymous, 'basic-auth', p.log);
  else ctx.error(401, 'Unauthorized', p.challenge);
}

/**
 * basic-auth (priority 1100): checks `Authorization` (or `Proxy-Authorization`)
 * against the consumers' basic-auth credentials. Passwords are scrypt hashes;
 * a verified (hash, password) pair is remembered by digest so the slow check
 * runs once per credential, not per request.
 */
export const basicAuthHandler: PluginHandler<BasicAuthConfig, Prepared> = {
  name: 'basic-auth',
  priority: 1100,
  prepare(conf, env) {
    return {
      hide: conf.hide_credentials,
      anonymous: conf.anonymous,
      anonymousConsumer: conf.anonymous === null ? undefined : env.consumers.consumer(conf.anonymous),
      consumers: env.consumers,
      challenge: { 'www-authenticate': `Basic realm="${conf.realm}"` },
      verified: env.runtime.singleton('basic-auth:verified', () => new VerifiedSecrets(10_000)),
      log: env.runtime.log,
    };
  },
  access(ctx, p) {
    if (p.anonymous !== null && ctx.credential !== null) return;
    const creds = parseBasic(ctx.header('authorization')) ?? parseBasic(ctx.header('proxy-authorization'));
    if (creds === null) return reject(ctx, p);
    const cred = p.consumers.basicCredential(creds.username);
    if (cred === undefined) return reject(ctx, p);
    const succeed = (): void => {
      if (p.hide) {
        delete ctx.upstreamHeaders.authorization;
        delete ctx.upstreamHeaders['proxy-authorization'];
      }
      setConsumer(ctx, cred.consumer, { id: cred.id, consumerId: cred.consumer.id });
    };
    const digest = createHash('sha256').update(`${cred.passwordHash}\0${creds.password}`).digest('base64');
    if (p.verified.has(digest)) return succeed();
    return verifyPassword(creds.password, cred.passwordHash).then((ok) => {
      if (!ok) return reject(ctx, p);
      p.verified.add(digest);
      succeed();
    });
  },
};

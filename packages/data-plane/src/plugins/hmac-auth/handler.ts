import type { ConsumerInfo, PluginContext } from '../context';
import type { ConsumerIndex, HmacCredential } from '../consumers';
import type { PluginHandler } from '../types';
import type { Logger } from '../../logging';
import { setAnonymous, setConsumer } from '../consumer-headers';
import { parseHttpDate } from './http-date';
import { parseHmacParams, type HmacParams } from './params';
import { bodyDigestMatches, signatureMatches } from './signature';
import type { HmacAuthConfig } from './schema';

const NOT_VALID = 'HMAC signature cannot be verified';
const NOT_SAME = 'HMAC signature does not match';
const NO_DATE = 'HMAC signature cannot be verified, a valid date or x-date header is required for HMAC Authentication';

interface Prepared {
  hide: boolean;
  clockSkew: number;
  anonymous: string | null;
  anonymousConsumer: ConsumerInfo | undefined;
  validateBody: boolean;
  enforceHeaders: readonly string[];
  algorithms: ReadonlySet<string>;
  consumers: ConsumerIndex;
  challenge: { 'www-authenticate': string };
  log: Logger;
}

function fail(ctx: PluginContext, p: Prepared, message: string): void {
  if (p.anonymous !== null) return setAnonymous(ctx, p.anonymousConsumer, p.anonymous, 'hmac-auth', p.log);
  ctx.error(401, message, p.challenge);
}

/** Kong's `validate_clock_skew`: the header holds an HTTP date within `skew` seconds of now. */
function dateWithin(ctx: PluginContext, header: string, skew: number): boolean {
  const value = ctx.header(header);
  const at = value === undefined ? null : parseHttpDate(value);
  return at !== null && Math.abs(Math.floor(Date.now() / 1000) - at) <= skew;
}

/** Kong's `validate_params`: username and signature, every enforced header signed, an allowed algorithm. */
function paramsValid(params: HmacParams | null, p: Prepared): params is HmacParams {
  if (params === null || params.username === '' || params.signature === '') return false;
  if (p.enforceHeaders.some((h) => !params.headers.includes(h))) return false;
  return p.algorithms.has(params.algorithm);
}

function succeed(ctx: PluginContext, cred: HmacCredential): void {
  setConsumer(ctx, cred.consumer, { id: cred.id, consumerId: cred.consumer.id, identifier: cred.username });
}

function authenticate(ctx: PluginContext, p: Prepared): void | Promise<void> {
  const authorization = ctx.header('authorization');
  const proxyAuthorization = ctx.header('proxy-authorization');
  if (authorization === undefined && proxyAuthorization === undefined) return fail(ctx, p, 'Unauthorized');
  if (!dateWithin(ctx, 'x-date', p.clockSkew) && !dateWithin(ctx, 'date', p.clockSkew)) return fail(ctx, p, NO_DATE);
  let params = parseHmacParams(proxyAuthorization);
  if (params === null) {
    params = parseHmacParams(authorization);
    if (p.hide) delete ctx.upstreamHeaders.authorization;
  } else if (p.hide) delete ctx.upstreamHeaders['proxy-authorization'];
  if (!paramsValid(params, p)) return fail(ctx, p, NOT_VALID);
  const cred = p.consumers.hmacCredential(params.username);
  if (cred === undefined) return fail(ctx, p, NOT_VALID);
  if (!signatureMatches(ctx, params.algorithm, params.headers, cred.secret, params.signature)) return fail(ctx, p, NOT_SAME);
  if (!p.validateBody) return succeed(ctx, cred);
  return ctx.readBody().then(
    (body) => (bodyDigestMatches(body, ctx.header('digest')) ? succeed(ctx, cred) : fail(ctx, p, NOT_SAME)),
    () => fail(ctx, p, NOT_SAME),
  );
}

/**
 * hmac-auth (priority 1030): Kong's HTTP signatures. The credential line
 * comes from `Proxy-Authorization`, else `Authorization`; `X-Date` or `Date`
 * must be within `clock_skew`; the signing string covers the listed headers
 * (`request-line` and `@request-target` included) and is checked with the
 * username's secret; with `validate_request_body` the `Digest` header must
 * be the body's SHA-256. Kong's 401 messages, `WWW-Authenticate: hmac`.
 */
export const hmacAuthHandler: PluginHandler<HmacAuthConfig, Prepared> = {
  name: 'hmac-auth',
  priority: 1030,
  prepare(conf, env) {
    return {
      hide: conf.hide_credentials,
      clockSkew: conf.clock_skew,
      anonymous: conf.anonymous,
      anonymousConsumer: conf.anonymous === null ? undefined : env.consumers.consumer(conf.anonymous),
      validateBody: conf.validate_request_body,
      enforceHeaders: conf.enforce_headers,
      algorithms: new Set(conf.algorithms),
      consumers: env.consumers,
      challenge: { 'www-authenticate': conf.realm === null ? 'hmac' : `hmac realm="${conf.realm}"` },
      log: env.runtime.log,
    };
  },
  access(ctx, p) {
    // With anonymous set, auth plugins are alternatives: an earlier one already succeeded.
    if (p.anonymous !== null && ctx.credential !== null) return;
    return authenticate(ctx, p);
  },
};

import type { ConsumerInfo, PluginContext } from '../context';
import type { ConsumerIndex, JwtCredential } from '../consumers';
import type { PluginHandler } from '../types';
import type { Logger } from '../../logging';
import { setAnonymous, setConsumer } from '../consumer-headers';
import { findTokens, type TokenPlaces } from './find-token';
import { decodeToken } from './decode';
import { claimErrors } from './claims';
import { signatureValid, verificationKey } from './verify';
import type { JwtConfig } from './schema';

/** A token whose signature verified, with what it decoded to: its next request skips decoding and the signature check. */
interface Verified {
  cred: JwtCredential;
  claims: Record<string, unknown>;
}

/** Tokens remembered per instance and snapshot; longer tokens are verified each time. */
const VERIFIED_MAX = 5_000;
const VERIFIED_MAX_TOKEN = 4096;

interface Prepared extends TokenPlaces {
  keyClaim: string;
  secretIsBase64: boolean;
  claimsToVerify: readonly string[] | null;
  maximumExpiration: number;
  runOnPreflight: boolean;
  anonymous: string | null;
  anonymousConsumer: ConsumerInfo | undefined;
  consumers: ConsumerIndex;
  /** Kong's two challenges: without a token, and for a token that failed. */
  noToken: { 'www-authenticate': string };
  badToken: { 'www-authenticate': string };
  verified: Map<string, Verified>;
  log: Logger;
}

/** A failed authentication: Kong's `{message}` body, or its claim errors object. */
type Failure = { message: string; challenge: { 'www-authenticate': string } } | { errors: Record<string, string>; challenge: { 'www-authenticate': string } };

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function succeed(ctx: PluginContext, cred: JwtCredential): void {
  setConsumer(ctx, cred.consumer, { id: cred.id, consumerId: cred.consumer.id, identifier: cred.key });
}

function fail(ctx: PluginContext, p: Prepared, failure: Failure): void {
  if (p.anonymous !== null) return setAnonymous(ctx, p.anonymousConsumer, p.anonymous, 'jwt', p.log);
  ctx.exit(401, 'errors' in failure ? failure.errors : { message: failure.message }, failure.challenge);
}

/** Kong's checks after the signature: the registered claims, then the consumer. */
function conclude(ctx: PluginContext, p: Prepared, v: Verified): void {
  const errors = claimErrors(v.claims, p.claimsToVerify, p.maximumExpiration, nowSeconds());
  if (errors !== null) return fail(ctx, p, { errors, challenge: p.badToken });
  succeed(ctx, v.cred);
}

function authenticate(ctx: PluginContext, p: Prepared): void | Promise<void> {
  const tokens = findTokens(ctx, p);
  if (tokens.size === 0) return fail(ctx, p, { message: 'Unauthorized', challenge: p.noToken });
  if (tokens.size > 1) return fail(ctx, p, { message: 'Multiple tokens provided', challenge: p.badToken });
  const [token = ''] = tokens;
  const known = p.verified.get(token);
  if (known !== undefined) return conclude(ctx, p, known);
  const bad = (message: string): void => fail(ctx, p, { message, challenge: p.badToken });
  const decoded = decodeToken(token);
  if ('error' in decoded) return bad(`Bad token; ${decoded.error}`);
  const claim = decoded.claims[p.keyClaim] ?? decoded.header[p.keyClaim];
  if (claim === undefined || claim === null) return bad(`No mandatory '${p.keyClaim}' in claims`);
  if (claim === '') return bad(`Invalid '${p.keyClaim}' in claims`);
  const cred = typeof claim === 'string' || typeof claim === 'number' ? p.consumers.jwtCredential(String(claim)) : undefined;
  if (cred === undefined) return bad(`No credentials found for given '${p.keyClaim}'`);
  if (decoded.alg !== cred.algorithm) return bad('Invalid algorithm');
  const key = verificationKey(cred, p.secretIsBase64);
  if (key === null) return bad('Invalid key/secret');
  return signatureValid(token, key, cred.algorithm).then((ok) => {
    if (!ok) return bad('Invalid signature');
    const verified = { cred, claims: decoded.claims };
    if (token.length <= VERIFIED_MAX_TOKEN) {
      if (p.verified.size >= VERIFIED_MAX) p.verified.clear();
      p.verified.set(token, verified);
    }
    conclude(ctx, p, verified);
  });
}

/**
 * jwt (priority 1450): a token from the query (`uri_param_names`), a cookie
 * (`cookie_names`) or a `Bearer` header (`header_names`); its key claim
 * (`key_claim_name`, `iss`) names the credential, whose algorithm the token's
 * `alg` must be; the signature is verified with jose (HS secret, or the
 * credential's public key), then `claims_to_verify` and
 * `maximum_expiration`, in Kong's order and words. A token that verified is
 * remembered for this snapshot, so a repeat caller pays no signature check;
 * its claims are checked on every request.
 */
export const jwtHandler: PluginHandler<JwtConfig, Prepared> = {
  name: 'jwt',
  priority: 1450,
  prepare(conf, env) {
    const realm = conf.realm === null ? '' : ` realm="${conf.realm}"`;
    return {
      uriParamNames: conf.uri_param_names,
      cookieNames: conf.cookie_names,
      headerNames: conf.header_names.map((h) => h.toLowerCase()),
      keyClaim: conf.key_claim_name,
      secretIsBase64: conf.secret_is_base64,
      claimsToVerify: conf.claims_to_verify,
      maximumExpiration: conf.maximum_expiration,
      runOnPreflight: conf.run_on_preflight,
      anonymous: conf.anonymous,
      anonymousConsumer: conf.anonymous === null ? undefined : env.consumers.consumer(conf.anonymous),
      consumers: env.consumers,
      noToken: { 'www-authenticate': `Bearer${realm}` },
      badToken: { 'www-authenticate': conf.realm === null ? 'Bearer error="invalid_token"' : `Bearer${realm}, error="invalid_token"` },
      verified: new Map(),
      log: env.runtime.log,
    };
  },
  access(ctx, p) {
    if (!p.runOnPreflight && ctx.method === 'OPTIONS') return;
    // With anonymous set, auth plugins are alternatives: an earlier one already succeeded.
    if (p.anonymous !== null && ctx.credential !== null) return;
    return authenticate(ctx, p);
  },
};

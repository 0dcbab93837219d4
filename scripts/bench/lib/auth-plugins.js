'use strict';
/**
 * The jwt and hmac-auth targets of the proxy suite (docs/PLUGINS.md): the
 * `/bench` route of the one-route config behind each plugin, one consumer
 * with one credential, and the headers wrk sends. The jwt token (HS256) is
 * the same on every request, as a client reusing its token until it expires;
 * the hmac signature is made once over `date` with a clock_skew of a day,
 * so the DP computes an HMAC-SHA256 per request as it would for fresh ones.
 */
const { createHmac } = require('node:crypto');
const { benchConfig } = require('./gateway-config');

const T0 = 1_700_000_000;
const CONSUMER = { id: '00000000-0000-4000-8000-00000000c0a1', username: 'bench-auth', custom_id: null, tags: [], created_at: T0, updated_at: T0 };
const JWT_KEY = 'bench-jwt-key';
const JWT_SECRET = 'bench-jwt-secret-0123456789abcdef';
const HMAC_USER = 'bench-hmac';
const HMAC_SECRET = 'bench-hmac-secret-0123456789abcdef';

const b64url = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** An HS256 token for the bench credential, valid for a day. */
function jwtToken() {
  const signing = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ iss: JWT_KEY, exp: Math.floor(Date.now() / 1000) + 86_400 })}`;
  return `${signing}.${createHmac('sha256', JWT_SECRET).update(signing).digest('base64url')}`;
}

/** `Date` and an hmac-auth `Authorization` over it. */
function hmacHeaders() {
  const date = new Date().toUTCString();
  const signature = createHmac('sha256', HMAC_SECRET).update(`date: ${date}`).digest('base64');
  return { date, authorization: `hmac username="${HMAC_USER}", algorithm="hmac-sha256", headers="date", signature="${signature}"` };
}

/** The one-route config with `plugin` on `/bench` and the consumer's credential in `list`. */
function configWith(echo, plugin, list, credential) {
  const config = benchConfig({ upstreamPort: echo, routePlugins: [plugin] });
  config.consumers = [...config.consumers, CONSUMER];
  config[list] = [{ id: '00000000-0000-4000-8000-00000000c0a2', consumer: { id: CONSUMER.id }, tags: [], ...credential }];
  return config;
}

/** The targets, shaped as proxy.js's data planes: `dp(name, config)` starts one. */
function authTargets(echo, dp) {
  return [
    {
      key: 'dp-jwt',
      label: 'DP, jwt (HS256, same token)',
      start: dp(
        'dp-jwt',
        configWith(echo, ['jwt', { claims_to_verify: ['exp'] }], 'jwt_secrets', { key: JWT_KEY, algorithm: 'HS256', secret: JWT_SECRET, rsa_public_key: null }),
      ),
      headers: { authorization: `Bearer ${jwtToken()}` },
    },
    {
      key: 'dp-hmac',
      label: 'DP, hmac-auth (hmac-sha256 over date)',
      start: dp('dp-hmac', configWith(echo, ['hmac-auth', { clock_skew: 86_400 }], 'hmacauth_credentials', { username: HMAC_USER, secret: HMAC_SECRET })),
      headers: hmacHeaders(),
    },
  ];
}

module.exports = { authTargets };

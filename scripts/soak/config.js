'use strict';
// The soak's gateway config, made through the API as a user would, and the
// changes it keeps making while traffic runs (a service and its route added,
// the pair from two changes before removed, a plugin's limit changed), so
// snapshots are built, pushed and applied all along, and everything a removed
// entity owned on the DP (its upstream pool, metrics series, rate-limit
// counters) has to be released (issue #14 finding 10).

/** A tiny API client bound to a CP and token; throws on any non-2xx. */
function apiClient(adminUrl, token) {
  return async function api(method, path, body) {
    const res = await fetch(`${adminUrl}/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    if (res.status < 200 || res.status > 299) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}

const API_KEY = 'soak-key-0123456789abcdef';

/** Creates the walkthrough's service and route plus key-auth, rate-limiting and body routes. */
async function setUp(api, echoUrl, churn = 'services') {
  const group = await api('GET', '/runtime-groups/default');
  const hub = await api('POST', '/service-hub/services', { name: 'soak_service' });
  const version = await api('POST', `/service-hub/services/${hub.id}/versions`, { name: 'v1', runtime_group_id: group.id });
  const impl = await api('POST', `/service-hub/services/${hub.id}/versions/${version.id}/implementation`, {
    service: { name: 'soak_gateway_service', url: echoUrl },
    route: { name: 'mockbin', methods: ['GET'], paths: ['/mock'] },
  });
  const service = impl.service.id;
  const rg = '/runtime-groups/default';
  const keyed = await api('POST', `${rg}/routes`, { name: 'keyed', paths: ['/keyed'], service: { id: service } });
  const limited = await api('POST', `${rg}/routes`, { name: 'limited', paths: ['/limited'], service: { id: service } });
  await api('POST', `${rg}/routes`, { name: 'body', methods: ['POST'], paths: ['/body'], service: { id: service } });
  await api('POST', `${rg}/consumers`, { username: 'soaker' });
  await api('POST', `${rg}/consumers/soaker/key-auth`, { key: API_KEY });
  await api('POST', `${rg}/plugins`, { name: 'key-auth', route: { id: keyed.id }, config: { hide_credentials: true } });
  // Kong's series for every request, so each churn route leaves metrics series behind to release (`--churn services`).
  if (churn === 'services')
    await api('POST', `${rg}/plugins`, { name: 'prometheus', config: { status_code_metrics: true, latency_metrics: true, bandwidth_metrics: true } });
  const rateLimit = await api('POST', `${rg}/plugins`, { name: 'rate-limiting', route: { id: limited.id }, config: { second: 20, policy: 'local' } });
  return { service, rateLimitId: rateLimit.id, echoUrl };
}

/**
 * One config change (n from 1; `--churn services`, the default): adds service churn-n (the echo upstream, with
 * its own connect timeout, so the DP makes it its own keep-alive pool) and
 * route /churn-n on it with its own rate-limiting; removes churn-(n-2) (route,
 * then service) once it exists; retunes the shared rate limit. The three
 * parts run side by side so one change fits in about a second.
 */
async function change(api, ids, n, churn = 'services') {
  const rg = '/runtime-groups/default';
  if (churn === 'routes') return changeRoutes(api, ids, n);
  const add = async () => {
    const svc = await api('POST', `${rg}/services`, { name: `churn-${n}`, url: ids.echoUrl, connect_timeout: 10_000 + n });
    const route = await api('POST', `${rg}/routes`, { name: `churn-${n}`, paths: [`/churn-${n}`], service: { id: svc.id } });
    await api('POST', `${rg}/plugins`, { name: 'rate-limiting', route: { id: route.id }, config: { second: 1000, policy: 'local' } });
  };
  const remove = async () => {
    if (n < 3) return;
    await api('DELETE', `${rg}/routes/churn-${n - 2}`);
    await api('DELETE', `${rg}/services/churn-${n - 2}`);
  };
  await Promise.all([add(), remove(), api('PATCH', `${rg}/plugins/${ids.rateLimitId}`, { config: { second: 20 + (n % 5) } })]);
}

/** The lighter change (`--churn routes`): route churn-n added on the soak's service, churn-(n-2) removed, the rate limit retuned. */
async function changeRoutes(api, ids, n) {
  const rg = '/runtime-groups/default';
  await api('POST', `${rg}/routes`, { name: `churn-${n}`, paths: [`/churn-${n}`], service: { id: ids.service } });
  if (n >= 3) await api('DELETE', `${rg}/routes/churn-${n - 2}`);
  await api('PATCH', `${rg}/plugins/${ids.rateLimitId}`, { config: { second: 20 + (n % 5) } });
}

module.exports = { apiClient, setUp, change, API_KEY };

'use strict';
/**
 * Gateway configs for benchmarks, in the stored shape a CP ships (protocol's
 * `gatewayConfig`), and the DP config cache that lets a data plane serve one
 * without a control plane.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { ROOT } = require('./processes');

const { configHash, sha256Hex } = require(path.join(ROOT, 'packages/protocol/dist/node.js'));
const { gatewayConfig, upstreamInput } = require(path.join(ROOT, 'packages/protocol/dist/index.js'));

const T0 = 1_700_000_000;

function uuidFor(kind, i) {
  // Deterministic ids, so equal configs hash equally across runs.
  const h = crypto.createHash('sha256').update(`${kind}:${i}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function service(i, host, port) {
  return {
    id: uuidFor('service', i),
    name: `svc-${i}`,
    protocol: 'http',
    host,
    port,
    path: null,
    retries: 5,
    connect_timeout: 60000,
    write_timeout: 60000,
    read_timeout: 60000,
    tags: [],
    enabled: true,
    created_at: T0 + i,
    updated_at: T0 + i,
  };
}

function route(i, serviceId, fields) {
  return {
    id: uuidFor('route', i),
    name: `route-${i}`,
    protocols: ['http', 'https'],
    methods: [],
    hosts: [],
    paths: [],
    headers: {},
    strip_path: true,
    preserve_host: false,
    regex_priority: 0,
    https_redirect_status_code: 426,
    path_handling: 'v0',
    request_buffering: true,
    response_buffering: true,
    tags: [],
    service: { id: serviceId },
    created_at: T0 + i,
    updated_at: T0 + i,
    ...fields,
  };
}

function plugin(i, name, config, scope) {
  return {
    id: uuidFor(`plugin-${name}`, i),
    name,
    instance_name: null,
    config,
    service: null,
    route: null,
    consumer: null,
    protocols: ['grpc', 'grpcs', 'http', 'https'],
    enabled: true,
    tags: [],
    created_at: T0 + i,
    updated_at: T0 + i,
    ...scope,
  };
}

/** The key wrk sends to the key-auth route. */
const BENCH_KEY = 'bench-key-0123456789abcdef';

/**
 * A config with `/bench` → the echo upstream at 127.0.0.1:`upstreamPort`,
 * plus `extraRoutes` other routes shaped like a real installation: one
 * gateway service per 10 routes, a quarter of the routes bound to a host, a
 * third limited to GET, and one rate-limiting plugin per 20 routes.
 * `withPlugins` puts key-auth + rate-limiting (local, a limit never reached)
 * on the `/bench` route; `routePlugins` (`[name, config]` pairs) adds more plugins there.
 * `balancedOver` (hosts) makes `/bench`'s service balanced over an upstream
 * (round-robin) with one target per host at `upstreamPort`.
 */
function benchConfig({ upstreamPort, extraRoutes = 0, withPlugins = false, upstreamHost = '127.0.0.1', routePlugins = [], balancedOver = [] }) {
  const upstreams = [];
  const targets = [];
  if (balancedOver.length > 0) {
    const fields = upstreamInput.parse({ name: 'bench.upstream' });
    upstreams.push({ id: uuidFor('upstream', 0), ...fields, created_at: T0, updated_at: T0 });
    balancedOver.forEach((host, i) =>
      targets.push({
        id: uuidFor('target', i),
        upstream: { id: upstreams[0].id },
        target: `${host}:${upstreamPort}`,
        weight: 100,
        tags: [],
        created_at: T0 + i,
        updated_at: T0 + i,
      }),
    );
  }
  const services = [service(0, balancedOver.length > 0 ? 'bench.upstream' : upstreamHost, upstreamPort)];
  const routes = [route(0, services[0].id, { paths: ['/bench'] })];
  const plugins = [];
  const consumers = [];
  const keyauth = [];
  for (let i = 1; i <= extraRoutes; i++) {
    if (i % 10 === 1) services.push(service(services.length, upstreamHost, upstreamPort));
    const svc = services[services.length - 1];
    routes.push(
      route(i, svc.id, {
        paths: [`/svc-${i}/api`, `/svc-${i}/v2`],
        hosts: i % 4 === 0 ? [`api-${i}.example.com`] : [],
        methods: i % 3 === 0 ? ['GET'] : [],
      }),
    );
    if (i % 20 === 0) plugins.push(plugin(i, 'rate-limiting', { minute: 1_000_000, policy: 'local' }, { route: { id: routes[routes.length - 1].id } }));
  }
  if (withPlugins) {
    const consumer = { id: uuidFor('consumer', 0), username: 'bench', custom_id: null, tags: [], created_at: T0, updated_at: T0 };
    consumers.push(consumer);
    keyauth.push({ id: uuidFor('keyauth', 0), consumer: { id: consumer.id }, key_hash: sha256Hex(BENCH_KEY), tags: [] });
    plugins.push(plugin(0, 'key-auth', {}, { route: { id: routes[0].id } }));
    plugins.push(plugin(1, 'rate-limiting', { second: 100_000_000, policy: 'local' }, { route: { id: routes[0].id } }));
  }
  routePlugins.forEach(([name, conf], i) => plugins.push(plugin(100 + i, name, conf, { route: { id: routes[0].id } })));
  const config = { _format_version: '3.0', services, routes, plugins, consumers, keyauth_credentials: keyauth, basicauth_credentials: [], acls: [] };
  if (upstreams.length > 0) Object.assign(config, { upstreams, targets });
  const problem = configProblem(config);
  if (problem) throw new Error(`bench config does not pass the protocol schema: ${problem}`);
  return config;
}

/** Why `config` does not pass the protocol's schema (what the DP would refuse), or null. */
function configProblem(config) {
  const parsed = gatewayConfig.safeParse(config);
  return parsed.success ? null : parsed.error.message;
}

/** Writes `config` as the DP's config cache (what it serves at start, before any CP answers). */
function writeConfigCache(dpDir, config, version = 1) {
  fs.mkdirSync(dpDir, { recursive: true });
  fs.writeFileSync(path.join(dpDir, 'config.json'), JSON.stringify({ version, hash: configHash(config), config }), { mode: 0o600 });
}

/** A self-signed certificate and key for DP settings that need PEM files (no CP is dialled for real). */
function selfSigned(dir) {
  const cert = path.join(dir, 'self.crt');
  const key = path.join(dir, 'self.key');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost'],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

module.exports = { benchConfig, configProblem, writeConfigCache, selfSigned, configHash, uuidFor, BENCH_KEY };

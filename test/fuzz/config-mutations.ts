import fc from 'fast-check';
import type { GatewayConfig } from '../../packages/protocol/src';
import { acl, consumer, gateway, keyAuth, plugin, route, service } from '../support/config-builder';

/**
 * A valid config using every kind of entity and most plugins: the seed the
 * mutations start from, so mutated configs get deep into the validator and
 * the compiler rather than failing on the first field.
 */
export function baseConfig(upstreamPort: number): GatewayConfig {
  const echo = service({ name: 'echo', host: '127.0.0.1', port: upstreamPort });
  const other = service({ name: 'other', host: 'other.internal', port: 8080, path: '/base' });
  const alice = consumer({ id: '0f0e0d0c-0b0a-4908-8706-050403020100', username: 'alice' });
  const open = route({ service: echo, name: 'open', paths: ['/open'] });
  const regex = route({ service: echo, name: 'regex', paths: ['~/items/(?<id>\\d+)$'], regex_priority: 5 });
  const hosts = route({ service: other, name: 'hosts', hosts: ['*.example.com', 'api.example.com:8080'], headers: { 'x-version': ['v1', '~*^v2'] } });
  const locked = route({ service: echo, name: 'locked', paths: ['/locked'], methods: ['GET', 'POST'] });
  return gateway({
    services: [echo, other],
    routes: [open, regex, hosts, locked],
    consumers: [alice],
    plugins: [
      plugin('key-auth', { route: { id: locked.id }, config: { key_names: ['apikey'], hide_credentials: true } }),
      plugin('rate-limiting', { service: { id: echo.id }, config: { minute: 100, policy: 'local' } }),
      plugin('cors', { config: { origins: ['https://a.example'] } }),
      plugin('acl', { route: { id: locked.id }, config: { allow: ['admins'] } }),
      plugin('ip-restriction', { route: { id: regex.id }, config: { deny: ['10.0.0.0/8'] } }),
      plugin('request-size-limiting', { route: { id: open.id }, config: { allowed_payload_size: 1 } }),
      plugin('request-transformer', { route: { id: hosts.id }, config: { add: { headers: ['x-a:1'] } } }),
    ],
    keyauth_credentials: [keyAuth(alice, 'alice-key', { id: '1f0e0d0c-0b0a-4908-8706-050403020100' })],
    acls: [acl(alice, 'admins', { id: '2f0e0d0c-0b0a-4908-8706-050403020100' })],
  });
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path (list of keys) into a JSON value, the root included. */
function pathsOf(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

const oddValue: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(
    '',
    '~',
    '~/(',
    '~/[a-',
    '~*(',
    '(?<x',
    '*',
    '*.*',
    '**.example.com',
    'a'.repeat(100_000),
    '\u0000',
    '\ud800',
    '/../..',
    '//',
    -1,
    0,
    65536,
    1e308,
    -1e308,
    1.5,
    2 ** 53,
    null,
    true,
    [],
    {},
    ['GET', 'GET'],
    ['nope'],
    { id: 'not-a-uuid' },
    { id: '99999999-9999-4999-8999-999999999999' },
    'grpc',
    'tcp',
    'wss',
    'no-such-plugin',
    'key-auth',
  ),
);

type Mutation = (config: Json, paths: (string | number)[][]) => void;

function parentOf(config: Json, path: (string | number)[]): { parent: Json; key: string | number } | null {
  if (path.length === 0) return null;
  let parent: Json = config;
  for (const k of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[k] as Json;
  return { parent, key: path[path.length - 1]! };
}

/** One change at a random place: replace a value, delete a key, or duplicate an array element (so ids clash). */
const mutation: fc.Arbitrary<Mutation> = fc
  .tuple(fc.nat(), fc.constantFrom('replace', 'delete', 'duplicate'), oddValue)
  .map(([pick, op, value]) => (config, paths) => {
    const path = paths[pick % paths.length]!;
    const at = parentOf(config, path);
    if (!at) return;
    const container = at.parent as Record<string | number, Json> & Json[];
    if (op === 'replace') container[at.key] = value;
    else if (op === 'delete') {
      if (Array.isArray(container)) container.splice(at.key as number, 1);
      else delete container[at.key];
    } else if (Array.isArray(container)) container.push(structuredClone(container[at.key as number] as Json));
  });

/** A config made from `base` by one to four mutations. */
export function mutatedConfig(base: GatewayConfig): fc.Arbitrary<unknown> {
  return fc.array(mutation, { minLength: 1, maxLength: 4 }).map((mutations) => {
    const config = structuredClone(base) as unknown as Json;
    for (const m of mutations) m(config, pathsOf(config));
    return config;
  });
}

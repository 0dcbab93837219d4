import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../packages/protocol/src/node';
import type { Answer, Client, WireJson } from '../support/api';
import { query } from '../support/database';

/**
 * Creates a second organization with one user straight in the database (the
 * API has no sign-up: an installation bootstraps one organization), so
 * tenancy can be tested with two real tenants.
 */
export async function seedOrganization(
  databaseUrl: string,
  name: string,
  email: string,
  password: string,
): Promise<{ organizationId: string; userId: string }> {
  const organizationId = randomUUID();
  const userId = randomUUID();
  await query(databaseUrl, 'INSERT INTO organizations (id, name) VALUES ($1::uuid, $2)', [organizationId, name]);
  await query(databaseUrl, 'INSERT INTO users (id, organization_id, email, password_hash) VALUES ($1::uuid, $2::uuid, $3, $4)', [
    userId,
    organizationId,
    email,
    await hashPassword(password),
  ]);
  return { organizationId, userId };
}

async function made(res: Promise<Answer>, what: string): Promise<WireJson> {
  const { status, body } = await res;
  if (status !== 201 && status !== 200) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** One tenant's entities of every kind, by id. */
export interface TenantEntities {
  rg: string;
  service: string;
  route: string;
  plugin: string;
  consumer: string;
  keyAuth: string;
  basicAuth: string;
  acl: string;
  hub: string;
  version: string;
  certificate: { id: string; cert: string; key: string; ca_cert: string };
  pat: string;
}

/**
 * Creates one entity of every kind through the API, in a runtime group named
 * `groupName`. Entity names are the same for every tenant on purpose: a name
 * taken in one organization must stay free in the other.
 */
export async function populateTenant(api: Client, groupName: string): Promise<TenantEntities> {
  const group =
    (await api.get(`/v1/runtime-groups/${groupName}`)).status === 200
      ? (await api.get(`/v1/runtime-groups/${groupName}`)).body
      : await made(api.post('/v1/runtime-groups', { name: groupName }), 'runtime group');
  const base = `/v1/runtime-groups/${group.id}`;
  const service = await made(api.post(`${base}/services`, { name: 'shared-name', url: 'http://upstream.internal:8080/x' }), 'service');
  const route = await made(api.post(`${base}/services/${service.id}/routes`, { name: 'shared-route', paths: ['/shared'] }), 'route');
  const consumer = await made(api.post(`${base}/consumers`, { username: 'shared-user' }), 'consumer');
  const plugin = await made(api.post(`${base}/plugins`, { name: 'key-auth', route: { id: route.id }, config: { hide_credentials: true } }), 'plugin');
  const keyAuth = await made(api.post(`${base}/consumers/${consumer.id}/key-auth`, { key: `key-of-${groupName}-${randomUUID()}` }), 'key-auth');
  const basicAuth = await made(api.post(`${base}/consumers/${consumer.id}/basic-auth`, { username: 'shared-basic', password: 'pw-123456' }), 'basic-auth');
  const acl = await made(api.post(`${base}/consumers/${consumer.id}/acls`, { group: 'admins' }), 'acl');
  const hub = await made(api.post('/v1/service-hub/services', { name: 'Shared Service' }), 'hub service');
  const version = await made(api.post(`/v1/service-hub/services/${hub.id}/versions`, { name: 'v1', runtime_group_id: group.id }), 'version');
  await made(api.post(`/v1/service-hub/services/${hub.id}/versions/${version.id}/implementation`, { service: { id: service.id } }), 'implementation');
  const certificate = await made(api.post(`${base}/dp-certificates`, {}), 'dp certificate');
  const pat = await made(api.post('/v1/personal-access-tokens', { name: 'shared-token' }), 'token');
  return {
    rg: group.id,
    service: service.id,
    route: route.id,
    plugin: plugin.id,
    consumer: consumer.id,
    keyAuth: keyAuth.id,
    basicAuth: basicAuth.id,
    acl: acl.id,
    hub: hub.id,
    version: version.id,
    certificate,
    pat: pat.id,
  };
}

/** Every URL that reads one of the tenant's entities or collections. */
export function readUrls(t: TenantEntities, nodeId: string): string[] {
  const g = `/v1/runtime-groups/${t.rg}`;
  const v = `/v1/service-hub/services/${t.hub}/versions/${t.version}`;
  return [
    g,
    `${g}/services`,
    `${g}/services/${t.service}`,
    `${g}/services/shared-name`,
    `${g}/routes`,
    `${g}/routes/${t.route}`,
    `${g}/services/${t.service}/routes`,
    `${g}/plugins`,
    `${g}/plugins/${t.plugin}`,
    `${g}/routes/${t.route}/plugins`,
    `${g}/consumers`,
    `${g}/consumers/${t.consumer}`,
    `${g}/consumers/${t.consumer}/key-auth`,
    `${g}/consumers/${t.consumer}/key-auth/${t.keyAuth}`,
    `${g}/consumers/${t.consumer}/basic-auth/${t.basicAuth}`,
    `${g}/consumers/${t.consumer}/acls/${t.acl}`,
    `${g}/config`,
    `${g}/dp-certificates`,
    `${g}/dp-certificates/${t.certificate.id}`,
    `${g}/nodes`,
    `${g}/nodes/${nodeId}`,
    `${g}/expected-config-hash`,
    `${g}/analytics`,
    `${g}/services/${t.service}/analytics`,
    `${g}/routes/${t.route}/analytics`,
    `/v1/service-hub/services/${t.hub}`,
    `/v1/service-hub/services/${t.hub}/versions`,
    v,
    `${v}/implementation`,
    `${v}/routes`,
    `${v}/analytics`,
  ];
}

/** Every write that targets one of the tenant's entities (the bodies would be valid for the owner). */
export function writeCalls(t: TenantEntities, nodeId: string): [string, string, unknown?][] {
  const g = `/v1/runtime-groups/${t.rg}`;
  const v = `/v1/service-hub/services/${t.hub}/versions/${t.version}`;
  return [
    ['PATCH', g, { description: 'hijacked' }],
    ['DELETE', g],
    ['POST', `${g}/services`, { name: 'planted', url: 'http://evil.internal' }],
    ['PATCH', `${g}/services/${t.service}`, { host: 'evil.internal' }],
    ['PUT', `${g}/services/${t.service}`, { name: 'shared-name', url: 'http://evil.internal' }],
    ['DELETE', `${g}/services/${t.service}`],
    ['POST', `${g}/routes`, { name: 'planted-route', paths: ['/evil'] }],
    ['PATCH', `${g}/routes/${t.route}`, { paths: ['/evil'] }],
    ['DELETE', `${g}/routes/${t.route}`],
    ['POST', `${g}/plugins`, { name: 'request-termination', config: { status_code: 503 } }],
    ['PATCH', `${g}/plugins/${t.plugin}`, { enabled: false }],
    ['DELETE', `${g}/plugins/${t.plugin}`],
    ['POST', `${g}/consumers`, { username: 'planted' }],
    ['PATCH', `${g}/consumers/${t.consumer}`, { custom_id: 'x' }],
    ['DELETE', `${g}/consumers/${t.consumer}`],
    ['POST', `${g}/consumers/${t.consumer}/key-auth`, { key: 'planted-key' }],
    ['DELETE', `${g}/consumers/${t.consumer}/key-auth/${t.keyAuth}`],
    ['POST', `${g}/consumers/${t.consumer}/basic-auth`, { username: 'planted', password: 'planted-pw' }],
    ['DELETE', `${g}/consumers/${t.consumer}/basic-auth/${t.basicAuth}`],
    ['POST', `${g}/consumers/${t.consumer}/acls`, { group: 'planted' }],
    ['DELETE', `${g}/consumers/${t.consumer}/acls/${t.acl}`],
    ['POST', `${g}/config`, { _format_version: '3.0', services: [] }],
    ['POST', `${g}/dp-certificates`, {}],
    ['POST', `${g}/dp-certificates/${t.certificate.id}/renew`, {}],
    ['DELETE', `${g}/dp-certificates/${t.certificate.id}`],
    ['POST', `${g}/launch-script`, { kind: 'shell' }],
    ['DELETE', `${g}/nodes/${nodeId}`],
    ['PATCH', `/v1/service-hub/services/${t.hub}`, { description: 'hijacked' }],
    ['DELETE', `/v1/service-hub/services/${t.hub}`],
    ['POST', `/v1/service-hub/services/${t.hub}/versions`, { name: 'v2', runtime_group_id: t.rg }],
    ['PATCH', v, { name: 'v9' }],
    ['DELETE', v],
    ['PATCH', `${v}/implementation`, { service: { host: 'evil.internal' } }],
    ['DELETE', `${v}/implementation`],
    ['POST', `${v}/routes`, { name: 'planted-v-route', paths: ['/evil'] }],
    ['DELETE', `/v1/personal-access-tokens/${t.pat}`],
  ];
}

import { hubImplementation, hubService, hubVersion, listPage, route } from '@gatehouse/protocol';
import type { Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { query } from '../support/database';
import { expectShape } from './expect-shape';

const HUB = '/v1/service-hub/services';

describe('Service Hub walkthrough by API', () => {
  let cp: LoggedInControlPlane;
  let api: Client;
  let databaseUrl: string;
  let defaultGroupId: string;

  beforeAll(async () => {
    cp = await startLoggedInControlPlane();
    ({ api, databaseUrl } = cp);
    defaultGroupId = (await api.get('/v1/runtime-groups/default')).body.id;
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('example_service → v1 in default → implementation → the gateway service shows the defaults and the tag', async () => {
    const svc = await api.post(HUB, { name: 'example_service', display_name: 'Example service' });
    expect(svc.status).toBe(201);
    const v1 = await api.post(`${HUB}/${svc.body.id}/versions`, { name: 'v1', runtime_group_id: defaultGroupId });
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ name: 'v1', runtime_group_id: defaultGroupId, gateway_service: null, service: { id: svc.body.id } });

    const impl = await api.post(`${HUB}/example_service/versions/v1/implementation`, {
      service: { name: 'example_gateway_service', url: 'http://mockbin.org' },
      route: { name: 'mockbin', methods: ['GET'], paths: ['/mock'] },
    });
    expect(impl.status).toBe(201);
    expect(impl.body.routes).toHaveLength(1);
    expect(impl.body.routes[0]).toMatchObject({ name: 'mockbin', methods: ['GET'], paths: ['/mock'], service: { id: impl.body.service.id } });

    const gateway = await api.get('/v1/runtime-groups/default/services/example_gateway_service');
    expect(gateway.status).toBe(200);
    expect(gateway.body).toMatchObject({
      host: 'mockbin.org',
      port: 80,
      protocol: 'http',
      retries: 5,
      connect_timeout: 60000,
      write_timeout: 60000,
      read_timeout: 60000,
      tags: ['_KonnectService:example_service'],
    });

    const version = await api.get(`${HUB}/example_service/versions/v1`);
    expect(version.body.gateway_service).toEqual({ id: gateway.body.id });
    const got = await api.get(`${HUB}/example_service/versions/v1/implementation`);
    expect(got.status).toBe(200);
    expect(got.body.service.id).toBe(gateway.body.id);
    expect(got.body.routes.map((r: { name: string }) => r.name)).toEqual(['mockbin']);

    const again = await api.post(`${HUB}/example_service/versions/v1/implementation`, { service: { name: 'other', url: 'http://x.org' } });
    expect(again.status).toBe(409);
  });

  it('adds version routes to the implementing gateway service, with organization-wide case-sensitive names', async () => {
    const dup = await api.post(`${HUB}/example_service/versions/v1/routes`, { name: 'mockbin', paths: ['/other'] });
    expect(dup.status).toBe(409);
    expect(dup.body.fields).toHaveProperty('name');
    const upper = await api.post(`${HUB}/example_service/versions/v1/routes`, { name: 'Mockbin', methods: ['POST'], paths: ['/mock'] });
    expect(upper.status).toBe(201);
    const list = await api.get(`${HUB}/example_service/versions/v1/routes`);
    expect(list.body.data.map((r: { name: string }) => r.name)).toEqual(['mockbin', 'Mockbin']);
  });

  it('answers every Service Hub read in the shape of its protocol schema', async () => {
    expectShape(listPage(hubService), (await api.get(HUB)).body);
    expectShape(hubService, (await api.get(`${HUB}/example_service`)).body);
    expectShape(listPage(hubVersion), (await api.get(`${HUB}/example_service/versions`)).body);
    expectShape(hubVersion, (await api.get(`${HUB}/example_service/versions/v1`)).body);
    const implementation = (await api.get(`${HUB}/example_service/versions/v1/implementation`)).body;
    expectShape(hubImplementation, implementation);
    expect(implementation.routes).toHaveLength(2);
    expectShape(listPage(route), (await api.get(`${HUB}/example_service/versions/v1/routes`)).body);
  });

  it('refuses a Service Hub name that clashes once spaces count as dashes', async () => {
    expect((await api.post(HUB, { name: 'Example Service' })).status).toBe(201);
    const clash = await api.post(HUB, { name: 'Example-Service' });
    expect(clash.status).toBe(409);
    expect(clash.body.fields).toHaveProperty('name');
  });

  it('leaves nothing behind when the route of an implementation is bad', async () => {
    const svc = (await api.post(HUB, { name: 'atomic' })).body;
    await api.post(`${HUB}/${svc.id}/versions`, { name: 'v1', runtime_group_id: defaultGroupId });
    const before = await query(databaseUrl, 'SELECT id FROM services');
    const badPath = await api.post(`${HUB}/atomic/versions/v1/implementation`, {
      service: { name: 'atomic_gateway', url: 'http://atomic.internal' },
      route: { name: 'atomic', paths: ['mock'] },
    });
    expect(badPath.status).toBe(400);
    expect(badPath.body.fields).toHaveProperty(['route.paths[0]']);
    // Valid by schema but clashing with an existing route name: fails inside the transaction.
    const dupName = await api.post(`${HUB}/atomic/versions/v1/implementation`, {
      service: { name: 'atomic_gateway', url: 'http://atomic.internal' },
      route: { name: 'mockbin', paths: ['/atomic'] },
    });
    expect(dupName.status).toBe(409);
    expect(dupName.body.fields).toHaveProperty(['route.name']);
    expect(await query(databaseUrl, 'SELECT id FROM services')).toHaveLength(before.length);
    expect((await api.get('/v1/runtime-groups/default/services/atomic_gateway')).status).toBe(404);
    expect((await api.get(`${HUB}/atomic/versions/v1`)).body.gateway_service).toBeNull();
  });

  it('rejects a gateway service name with a space, naming the name field', async () => {
    const svc = (await api.post(HUB, { name: 'spaces' })).body;
    await api.post(`${HUB}/${svc.id}/versions`, { name: 'v1', runtime_group_id: defaultGroupId });
    const res = await api.post(`${HUB}/spaces/versions/v1/implementation`, {
      service: { name: 'Example Service', url: 'http://mockbin.org' },
      route: { name: 'spaces-route', paths: ['/spaces'] },
    });
    expect(res.status).toBe(400);
    expect(res.body.fields).toHaveProperty(['service.name']);
  });

  it('links an existing unlinked gateway service by id, but not one that already serves a version', async () => {
    const gw = (await api.post('/v1/runtime-groups/default/services', { name: 'legacy', host: 'legacy.internal' })).body;
    const svc = (await api.post(HUB, { name: 'legacy service' })).body;
    await api.post(`${HUB}/${svc.id}/versions`, { name: 'v1', runtime_group_id: defaultGroupId });
    await api.post(`${HUB}/${svc.id}/versions`, { name: 'v2', runtime_group_id: defaultGroupId });
    const linked = await api.post(`${HUB}/${svc.id}/versions/v1/implementation`, { service: { id: gw.id } });
    expect(linked.status).toBe(201);
    expect(linked.body.service.tags).toEqual(['_KonnectService:legacy-service']);
    const twice = await api.post(`${HUB}/${svc.id}/versions/v2/implementation`, { service: { id: gw.id } });
    expect(twice.status).toBe(409);
  });

  it('patches and deletes an implementation, and keeps versions in their runtime group for life', async () => {
    const patched = await api.patch(`${HUB}/example_service/versions/v1/implementation`, { service: { retries: 3 } });
    expect(patched.status).toBe(200);
    expect(patched.body.service).toMatchObject({ retries: 3, tags: ['_KonnectService:example_service'] });

    const staging = (await api.post('/v1/runtime-groups', { name: 'hub-staging' })).body;
    const move = await api.patch(`${HUB}/example_service/versions/v1`, { runtime_group_id: staging.id });
    expect(move.status).toBe(400);
    expect(move.body.fields).toHaveProperty('runtime_group_id');
    expect((await api.patch(`${HUB}/example_service/versions/v1`, { name: 'v1.0' })).body.name).toBe('v1.0');

    expect((await api.delete(`${HUB}/example_service/versions/v1.0/implementation`)).status).toBe(204);
    expect((await api.get('/v1/runtime-groups/default/services/example_gateway_service')).status).toBe(404);
    expect((await api.get(`${HUB}/example_service/versions/v1.0/implementation`)).status).toBe(404);
    expect((await api.get(`${HUB}/example_service/versions/v1.0/routes`)).status).toBe(409);
  });

  it('lets exactly one of two simultaneous implementations of a version win', async () => {
    const svc = (await api.post(HUB, { name: 'racy' })).body;
    await api.post(`${HUB}/${svc.id}/versions`, { name: 'v1', runtime_group_id: defaultGroupId });
    const attempt = (n: number) =>
      api.post(`${HUB}/racy/versions/v1/implementation`, {
        service: { name: `racy_${n}`, url: 'http://racy.internal' },
        route: { name: `racy-${n}`, paths: [`/racy${n}`] },
      });
    const answers = await Promise.all([attempt(1), attempt(2)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const left = await query(databaseUrl, "SELECT name FROM services WHERE name LIKE 'racy_%'");
    expect(left).toHaveLength(1);
  });

  it('refuses a version in an unknown runtime group, naming runtime_group_id', async () => {
    const res = await api.post(`${HUB}/example_service/versions`, { name: 'v9', runtime_group_id: '00000000-0000-4000-8000-000000000000' });
    expect(res.status).toBe(400);
    expect(res.body.fields).toHaveProperty('runtime_group_id');
  });
});

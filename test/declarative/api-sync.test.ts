import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { query } from '../support/database';

/** `POST /v1/runtime-groups/{rg}/config` and the API around it, against a real control plane process. */
describe('declarative config API', () => {
  let cp: LoggedInControlPlane;
  let databaseUrl: string;

  /** The test admin's call; paths are under /v1. */
  const api = (method: string, path: string, body?: unknown) => cp.api.send(method, `/v1${path}`, body);
  const sync = (file: unknown, query = '') => api('POST', `/runtime-groups/default/config${query}`, file);
  const configVersion = async (): Promise<number> =>
    Number((await query<{ v: string }>(databaseUrl, "SELECT config_version AS v FROM runtime_groups WHERE name = 'default'"))[0]!.v);

  beforeAll(async () => {
    cp = await startLoggedInControlPlane();
    databaseUrl = cp.databaseUrl;
  });

  afterAll(async () => {
    await cp?.stop();
  });

  it('keeps the id of an entity it updates, and leaves entities without the select tags alone', async () => {
    const manual = await api('POST', '/runtime-groups/default/services', { name: 'manual', url: 'http://manual.internal' });
    expect(manual.status).toBe(201);
    const file = {
      _format_version: '3.0',
      _info: { select_tags: ['team-a'] },
      services: [{ name: 'mine', url: 'http://mine.internal', routes: [{ name: 'mine-r', paths: ['/mine'] }] }],
    };
    expect((await sync(file)).body.summary).toEqual({ creates: 2, updates: 0, deletes: 0 });
    const mine = (await api('GET', '/runtime-groups/default/services/mine')).body;
    expect(mine.tags).toEqual(['team-a']);

    const changed = { ...file, services: [{ ...file.services[0], retries: 9 }] };
    const answer = await sync(changed);
    expect(answer.body.changes).toEqual([{ action: 'update', kind: 'services', key: 'mine', source: 'services[0]', changes: { retries: { from: 5, to: 9 } } }]);
    expect((await api('GET', '/runtime-groups/default/services/mine')).body).toMatchObject({ id: mine.id, retries: 9 });

    // An empty file under the select tag deletes only what carries the tag.
    const emptied = await sync({ _format_version: '3.0', _info: { select_tags: ['team-a'] } });
    expect(emptied.body.summary).toEqual({ creates: 0, updates: 0, deletes: 2 });
    expect((await api('GET', '/runtime-groups/default/services/manual')).status).toBe(200);
  });

  it('refuses to create what exists outside the select tags, naming the field, in a dry run too', async () => {
    const file = { _format_version: '3.0', services: [{ name: 'manual', url: 'http://other.internal' }] };
    for (const q of ['?select_tags=team-a&dry_run=true', '?select_tags=team-a']) {
      const answer = await sync(file, q);
      expect(answer.status).toBe(409);
      expect(answer.body.fields).toEqual({ 'services[0].name': 'a service "manual" exists in the runtime group without the select tags' });
    }
  });

  it('rolls the whole sync back when the database refuses part of it', async () => {
    const other = await api('POST', '/runtime-groups/default/consumers', { username: 'other' });
    expect((await api('POST', `/runtime-groups/default/consumers/${other.body.id}/key-auth`, { key: 'shared-key' })).status).toBe(201);
    const before = await configVersion();
    const file = {
      _format_version: '3.0',
      services: [{ name: 'svc-b', url: 'http://b.internal' }],
      consumers: [{ username: 'cb', keyauth_credentials: [{ key: 'shared-key' }] }],
    };
    const answer = await sync(file, '?select_tags=team-b');
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('unique_violation');
    expect((await api('GET', '/runtime-groups/default/services/svc-b')).status).toBe(404);
    expect((await api('GET', '/runtime-groups/default/consumers/cb')).status).toBe(404);
    expect(await configVersion()).toBe(before);
  });

  it('refuses a route name another runtime group uses (names are unique in the organization)', async () => {
    expect((await api('POST', '/runtime-groups', { name: 'staging' })).status).toBe(201);
    await api('POST', '/runtime-groups/staging/services', { name: 's', url: 'http://s.internal' });
    expect((await api('POST', '/runtime-groups/staging/routes', { name: 'taken', paths: ['/t'], service: { name: 's' } })).status).toBe(201);
    const answer = await sync({ _format_version: '3.0', _info: { select_tags: ['team-c'] }, routes: [{ name: 'taken', paths: ['/t'] }] }, '?dry_run=true');
    expect(answer.status).toBe(409);
    expect(answer.body.fields).toEqual({ 'routes[0].name': "already used by a route in runtime group 'staging' (route names are unique in the organization)" });
  });

  it('links a new service tagged _KonnectService: to its Service Hub version, and keeps the link on update', async () => {
    const hub = await api('POST', '/service-hub/services', { name: 'Example Service' });
    expect(hub.status).toBe(201);
    const group = (await api('GET', '/runtime-groups/default')).body;
    const version = await api('POST', `/service-hub/services/${hub.body.id}/versions`, { name: 'v1', runtime_group_id: group.id });
    expect(version.status).toBe(201);
    const file = (retries: number) => ({
      _format_version: '3.0',
      _info: { select_tags: ['hub'] },
      services: [
        {
          name: 'example_service',
          url: 'http://mockbin.internal',
          retries,
          tags: ['_KonnectService:example-service'],
          routes: [{ name: 'mockbin', paths: ['/mock'], methods: ['GET'] }],
        },
      ],
    });
    expect((await sync(file(5))).status).toBe(200);
    const service = (await api('GET', '/runtime-groups/default/services/example_service')).body;
    const linked = (await api('GET', `/service-hub/services/${hub.body.id}/versions/${version.body.id}`)).body;
    expect(linked.gateway_service).toEqual({ id: service.id });

    expect((await sync(file(3))).body.summary).toEqual({ creates: 0, updates: 1, deletes: 0 });
    expect((await api('GET', `/service-hub/services/${hub.body.id}/versions/${version.body.id}`)).body.gateway_service).toEqual({ id: service.id });
  });

  it('names an unknown plugin, or skips it with a warning when asked', async () => {
    const file = {
      _format_version: '3.0',
      _info: { select_tags: ['lua'] },
      plugins: [{ name: 'oauth2', config: { enable_password_grant: true } }, { name: 'correlation-id' }],
    };
    const refused = await sync(file, '?dry_run=true');
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual({ 'plugins[0].name': 'plugin "oauth2" is not available in Gatehouse (use --skip-unknown-plugins to skip it)' });
    const skipped = await sync(file, '?dry_run=true&skip_unknown_plugins=true');
    expect(skipped.status).toBe(200);
    expect(skipped.body).toMatchObject({
      dry_run: true,
      summary: { creates: 1, updates: 0, deletes: 0 },
      warnings: ['plugins[0].name: plugin "oauth2" is not available in Gatehouse; skipped'],
    });
  });

  it('answers 400 for bad query flags and an empty body, and 404 for an unknown group', async () => {
    expect((await sync({ _format_version: '3.0' }, '?dry_run=maybe')).body).toMatchObject({
      code: 'schema_violation',
      fields: { dry_run: 'must be true or false' },
    });
    expect((await api('POST', '/runtime-groups/default/config')).body).toMatchObject({ code: 'schema_violation', fields: { '@body': expect.any(String) } });
    expect((await api('POST', '/runtime-groups/nope/config', { _format_version: '3.0' })).status).toBe(404);
    expect((await api('GET', '/runtime-groups/nope/config')).status).toBe(404);
  });
});

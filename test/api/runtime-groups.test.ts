import type { Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { query } from '../support/database';

describe('runtime groups', () => {
  let cp: LoggedInControlPlane;
  let api: Client;
  let databaseUrl: string;

  beforeAll(async () => {
    cp = await startLoggedInControlPlane();
    ({ api, databaseUrl } = cp);
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('has the default group after bootstrap', async () => {
    const list = await api.get('/v1/runtime-groups');
    expect(list.status).toBe(200);
    expect(list.body.data.map((g: { name: string }) => g.name)).toEqual(['default']);
    expect(list.body.offset).toBeNull();
  });

  it('creates, reads by id and name, patches and deletes a group', async () => {
    const created = await api.post('/v1/runtime-groups', { name: 'staging', description: 'pre-production', labels: { env: 'staging' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'staging', description: 'pre-production', labels: { env: 'staging' } });
    expect((await api.get(`/v1/runtime-groups/${created.body.id}`)).body.name).toBe('staging');
    const patched = await api.patch('/v1/runtime-groups/staging', { description: 'pre-prod' });
    expect(patched.body).toMatchObject({ name: 'staging', description: 'pre-prod', labels: { env: 'staging' } });
    expect((await api.post('/v1/runtime-groups', { name: 'staging' })).status).toBe(409);
    await api.post('/v1/runtime-groups/staging/services', { name: 'doomed', host: 'doomed.internal' });
    expect((await api.delete('/v1/runtime-groups/staging')).status).toBe(204);
    expect((await api.get('/v1/runtime-groups/staging')).status).toBe(404);
    expect(await query(databaseUrl, "SELECT id FROM services WHERE name = 'doomed'")).toHaveLength(0);
  });

  it('refuses to rename or delete the default group with 409', async () => {
    const rename = await api.patch('/v1/runtime-groups/default', { name: 'renamed' });
    expect(rename.status).toBe(409);
    expect(rename.body.code).toBe('conflict');
    expect((await api.delete('/v1/runtime-groups/default')).status).toBe(409);
    expect((await api.patch('/v1/runtime-groups/default', { description: 'still default' })).status).toBe(200);
  });

  it('refuses to delete a group that still holds Service Hub versions', async () => {
    const group = (await api.post('/v1/runtime-groups', { name: 'prod' })).body;
    await api.post('/v1/service-hub/services', { name: 'svc' });
    await api.post('/v1/service-hub/services/svc/versions', { name: 'v1', runtime_group_id: group.id });
    const res = await api.delete('/v1/runtime-groups/prod');
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('Service Hub');
  });
});

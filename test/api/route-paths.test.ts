import type { Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { query } from '../support/database';

/**
 * docs/PROXY.md (Routing): the DP routes requests by their normalized path,
 * so the CP refuses, as Kong does, a prefix path that is not already in that
 * form — naming the entry and the form to write instead — through every
 * door that writes routes (the entity API and declarative sync), and a
 * refused write changes nothing.
 */
describe('route prefix paths must be normalized, as in Kong', () => {
  let cp: LoggedInControlPlane;
  let api: Client;
  let databaseUrl: string;
  const RG = '/v1/runtime-groups/default';
  const suggests = (normalized: string): string => `non-normalized path, consider use '${normalized}' instead`;
  const configVersion = async (): Promise<number> =>
    Number((await query<{ v: string }>(databaseUrl, "SELECT config_version AS v FROM runtime_groups WHERE name = 'default'"))[0]?.v);

  beforeAll(async () => {
    cp = await startLoggedInControlPlane();
    ({ api, databaseUrl } = cp);
    expect((await api.post(`${RG}/services`, { name: 'paths-svc', url: 'http://paths.internal' })).status).toBe(201);
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it.each([
    ['an escaped space', '/a%20b', suggests('/a b')],
    ['an escaped unreserved character', '/%7Euser', suggests('/~user')],
    ['a dot segment', '/foo/./bar', suggests('/foo/bar')],
    ['a dot-dot segment', '/foo/a/../bar', suggests('/foo/bar')],
    ['a lower-case reserved escape', '/a%2fb', suggests('/a%2Fb')],
    ['an empty segment', '/foo//bar', 'must not have empty segments'],
    ['a broken escape', '/some%2Gwords', "invalid url-encoded value: '%2G'"],
  ])('400 naming paths[1] for %s', async (_what, path, message) => {
    const before = await configVersion();
    for (const url of [`${RG}/routes`, `${RG}/services/paths-svc/routes`]) {
      const res = await api.post(url, { paths: ['/fine', path] });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('schema_violation');
      expect(res.body.fields).toEqual({ 'paths[1]': message });
    }
    expect(await configVersion()).toBe(before);
  });

  it('takes normalized prefixes as written, and regex paths without normalizing them', async () => {
    const res = await api.post(`${RG}/routes`, { name: 'normal', paths: ['/a b', '/ä', '/x%2Fy', '~/re/./(?P<id>\\d+)'] });
    expect(res.status).toBe(201);
    expect(res.body.paths).toEqual(['/a b', '/ä', '/x%2Fy', '~/re/./(?P<id>\\d+)']);
  });

  it('leaves the stored route untouched when a PATCH or PUT is refused', async () => {
    const created = await api.post(`${RG}/services/paths-svc/routes`, { name: 'kept', paths: ['/kept'], methods: ['GET'] });
    expect(created.status).toBe(201);
    const before = await configVersion();

    const patched = await api.patch(`${RG}/routes/kept`, { paths: ['/kept', '/kept/../other'] });
    expect(patched.status).toBe(400);
    expect(patched.body.fields).toEqual({ 'paths[1]': suggests('/other') });
    const put = await api.put(`${RG}/routes/${created.body.id}`, { name: 'kept', paths: ['/new%20path'] });
    expect(put.status).toBe(400);
    expect(put.body.fields).toEqual({ 'paths[0]': suggests('/new path') });

    const now = await api.get(`${RG}/routes/kept`);
    expect(now.body).toMatchObject({ id: created.body.id, paths: ['/kept'], methods: ['GET'], updated_at: created.body.updated_at });
    expect(await configVersion()).toBe(before);
  });

  it('refuses the same in a declarative 3.0 file, naming the nested entry, and syncs nothing', async () => {
    const before = await configVersion();
    const file = {
      _format_version: '3.0',
      services: [{ name: 'decl', url: 'http://decl.internal', routes: [{ name: 'decl-r', paths: ['/ok', '/d%61ta'] }] }],
    };
    const res = await api.post(`${RG}/config`, file);
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual({ 'services[0].routes[0].paths[1]': suggests('/data') });
    expect((await api.get(`${RG}/services/decl`)).status).toBe(404);
    expect(await configVersion()).toBe(before);
  });

  it("normalizes the plain paths of a 2.1 file on reading it, as Kong's 3.0 migration does", async () => {
    const file = {
      _format_version: '2.1',
      _info: { select_tags: ['old-file'] },
      services: [{ name: 'old', url: 'http://old.internal', routes: [{ name: 'old-r', paths: ['/old%20api//v1/./x'] }] }],
    };
    const res = await api.post(`${RG}/config`, file);
    expect(res.status).toBe(200);
    expect((await api.get(`${RG}/routes/old-r`)).body.paths).toEqual(['/old api/v1/x']);
  });
});

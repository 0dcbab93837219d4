import fs from 'node:fs';
import path from 'node:path';
import { readDeclarativeText, BUNDLED_PLUGIN_NAMES, type ReadResult } from '../../packages/protocol/src/declarative';

const fixture = (name: string): string => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

function ok(result: ReadResult): Extract<ReadResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected the file to be valid, got ${JSON.stringify(result.fields, null, 2)}`);
  return result;
}

describe('reading real-world kong.yml files', () => {
  it('reads a 3.0 file with many services, nested routes and plugins, consumers with credentials and acls', () => {
    const { state, info, warnings } = ok(readDeclarativeText(fixture('kong-3.0.yml')));
    expect(info).toEqual({ formatVersion: '3.0', transform: true, selectTags: [] });
    expect(warnings).toEqual([]);
    expect(state.services.map((s) => s.key).sort()).toEqual(['accounts', 'admin-panel', 'catalog', 'metrics-sink', 'orders', 'static-assets']);

    const catalog = state.services.find((s) => s.key === 'catalog')!;
    expect(catalog.fields).toMatchObject({
      protocol: 'http',
      host: 'catalog.internal',
      port: 8080,
      path: '/v2',
      retries: 3,
      connect_timeout: 5000,
      read_timeout: 60000,
    });
    expect(catalog.source).toBe('services[0]');

    const byId = state.routes.find((r) => r.key === 'catalog-product-by-id')!;
    expect(byId.fields).toMatchObject({
      service: 'catalog',
      methods: ['GET', 'HEAD'],
      paths: ['~/products/(?<id>\\d+)$'],
      regex_priority: 10,
      strip_path: true,
    });
    expect(state.routes.find((r) => r.key === 'health')!.fields.service).toBe('catalog');
    const unnamed = state.routes.filter((r) => r.fields.name === null);
    expect(unnamed).toHaveLength(1);
    expect(unnamed[0]!.fields).toMatchObject({ service: 'metrics-sink', paths: ['~/collect/v[0-9]+/.*'] });

    // Every bundled plugin kind appears, each at the scope its nesting gives it.
    expect(new Set(state.plugins.map((p) => p.fields.name))).toEqual(new Set(BUNDLED_PLUGIN_NAMES));
    const scopes = Object.fromEntries(state.plugins.map((p) => [p.key, [p.fields.service, p.fields.route, p.fields.consumer]]));
    expect(scopes['rate-limiting (route=catalog-products)']).toEqual([null, 'catalog-products', null]);
    expect(scopes['cors (service=catalog)']).toEqual(['catalog', null, null]);
    expect(scopes['rate-limiting (consumer=alice)']).toEqual([null, null, 'alice']);
    expect(scopes['rate-limiting (service=orders, consumer=alice)']).toEqual(['orders', null, 'alice']);
    expect(scopes['prometheus (global)']).toEqual([null, null, null]);

    expect(state.consumers.map((c) => c.key).sort()).toEqual(['alice', 'bob', 'custom_id:partner-42']);
    expect(state.jwt_secrets.map((j) => [j.fields.consumer, j.fields.key, j.fields.algorithm, j.fields.secret])).toEqual([
      ['bob', 'bob-jwt', 'HS256', 'bob-jwt-secret'],
    ]);
    expect(state.hmacauth_credentials.map((h) => [h.fields.consumer, h.fields.username, h.fields.secret])).toEqual([
      ['alice', 'alice-hmac', 'alice-hmac-secret'],
    ]);
    expect(state.keyauth_credentials.map((k) => [k.fields.consumer, k.fields.key]).sort()).toEqual([
      ['alice', 'alice-secret-key-1'],
      ['alice', 'alice-secret-key-2'],
      ['bob', 'bob-key'],
    ]);
    expect(state.basicauth_credentials.map((b) => [b.fields.consumer, b.fields.username, b.fields.password])).toEqual([
      ['bob', 'bob', 'bob-password-1'],
      ['alice', 'alice-basic', 'alice-password'],
    ]);
    expect(state.acls.map((a) => a.key).sort()).toEqual(['alice admins', 'alice buyers', 'bob buyers', 'custom_id:partner-42 partners']);
  });

  it('marks regex paths of a 2.1 file with ~ as Kong 3 does, leaving plain paths alone', () => {
    const { state, info } = ok(readDeclarativeText(fixture('kong-2.1.yml')));
    expect(info.formatVersion).toBe('2.1');
    expect(state.routes[0]!.fields.paths).toEqual(['~/users/\\d+/profile', '/plain/path', '~/version\\.1/(latest|stable)', '~/already-marked']);
  });

  it('reads a 1.1 JSON export with ids, id references, timestamps and Kong-only null fields', () => {
    const { state } = ok(readDeclarativeText(fixture('kong-1.1.json')));
    expect(state.services[0]).toMatchObject({ key: 'mockbin', id: '0855b320-0dd2-547d-891d-601e9b38647f' });
    expect(state.services[0]!.fields.tags).toEqual([]);
    expect(state.routes[0]!.fields).toMatchObject({ service: 'mockbin', paths: ['/mock', '~/requests/\\w+'], methods: [] });
    expect(state.plugins[0]!.fields).toMatchObject({ name: 'key-auth', route: 'mocking', service: null });
    expect(state.keyauth_credentials[0]!.fields).toMatchObject({ consumer: 'my-user', key: 'my-key' });
  });

  it('takes `_transform: false` to mean basic-auth passwords are already hashed', () => {
    const text = `_format_version: "3.0"\n_transform: false\nconsumers:\n  - username: c\n    basicauth_credentials:\n      - username: c\n        password: "scrypt$stored$hash"\n`;
    const { state, info } = ok(readDeclarativeText(text));
    expect(info.transform).toBe(false);
    expect(state.basicauth_credentials[0]!.fields).toMatchObject({ password_hash: 'scrypt$stored$hash' });
    expect(state.basicauth_credentials[0]!.fields.password).toBeUndefined();
  });

  it('adds `_info.select_tags` and the caller’s select tags to every entity', () => {
    const text = `_format_version: "3.0"\n_info:\n  select_tags: [team-a]\nservices:\n  - name: s\n    url: http://s.internal\n    tags: [x]\n    routes:\n      - name: r\n        paths: [/r]\n`;
    const { state, info } = ok(readDeclarativeText(text, { selectTags: ['ci'] }));
    expect(info.selectTags).toEqual(['ci', 'team-a']);
    expect(state.services[0]!.fields.tags).toEqual(['x', 'ci', 'team-a']);
    expect(state.routes[0]!.fields.tags).toEqual(['ci', 'team-a']);
  });

  it('reads an unquoted `_format_version: 3.0` (a number to YAML) as "3.0"', () => {
    expect(ok(readDeclarativeText('_format_version: 3.0\n')).info.formatVersion).toBe('3.0');
    expect(ok(readDeclarativeText('_format_version: 2.1\n')).info.formatVersion).toBe('2.1');
  });

  it('reads the runtime group a file names in `_konnect`', () => {
    const { info } = ok(readDeclarativeText(`_format_version: "3.0"\n_konnect:\n  runtime_group_name: staging\n`));
    expect(info.runtimeGroup).toBe('staging');
  });
});

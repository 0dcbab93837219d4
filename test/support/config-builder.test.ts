import { ConfigBuilder, consumer, gateway, keyAuth, plugin, route, service } from './config-builder';

describe('config builder (test fixtures from the protocol schemas)', () => {
  it("fills Kong's defaults from the schemas, generates ids and timestamps, and keeps what it is given", () => {
    const s = service({ name: 'a', host: 'echo', port: 8080 });
    const r = route({ paths: ['/x'], service: s, methods: 'get, post' });
    expect(s).toMatchObject({ name: 'a', protocol: 'http', host: 'echo', port: 8080, path: null, retries: 5, enabled: true, tags: [] });
    expect(s.connect_timeout).toBe(60000);
    expect(r).toMatchObject({
      service: { id: s.id },
      methods: ['GET', 'POST'],
      protocols: ['http', 'https'],
      https_redirect_status_code: 426,
      strip_path: true,
    });
    expect(r.id).not.toBe(s.id);
    expect(r.created_at).toBeGreaterThan(s.created_at);
    expect(service({ id: '00000000-0000-4000-8000-000000000001', created_at: 1, url: 'https://up.example/base' })).toMatchObject({
      id: '00000000-0000-4000-8000-000000000001',
      created_at: 1,
      updated_at: 1,
      protocol: 'https',
      host: 'up.example',
      port: 443,
      path: '/base',
    });
  });

  it('scopes plugins and credentials by entity or id, and builds a config that parses', () => {
    const b = new ConfigBuilder();
    const s = b.service({ port: 9 });
    const r = b.route({ service: s.id, paths: ['/r'] });
    const alice = b.consumer({ username: 'alice' });
    const k = b.keyAuth(alice, 'secret');
    const p = b.plugin('key-auth', { route: r, config: { hide_credentials: true } });
    const config = b.build();
    expect(config.services).toEqual([s]);
    expect(config.routes).toEqual([r]);
    expect(config.keyauth_credentials).toEqual([k]);
    expect(k.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(p).toMatchObject({
      route: { id: r.id },
      service: null,
      consumer: null,
      protocols: ['grpc', 'grpcs', 'http', 'https'],
      config: { hide_credentials: true },
    });
    expect(gateway({ consumers: [consumer({ custom_id: 'c' })] }).consumers[0]).toMatchObject({ username: null, custom_id: 'c' });
  });

  it('throws an error naming the field of a fixture that does not parse', () => {
    expect(() => route({ paths: ['~/(unclosed'] })).toThrow(/route does not parse[\s\S]*paths/);
    expect(() => service({ port: 70000 })).toThrow(/service does not parse[\s\S]*port/);
    expect(() => plugin('Bad Name')).toThrow(/plugin Bad Name does not parse/);
    expect(() => keyAuth('not-a-uuid', 'k')).toThrow(/key-auth credential does not parse[\s\S]*consumer\.id/);
    expect(() => gateway({ routes: [{ ...route({ paths: ['/'] }), strip_path: 'yes' as never }] })).toThrow(
      /gateway config does not parse[\s\S]*routes\[0\]\.strip_path/,
    );
  });
});

import { PLUGIN_HANDLERS } from './handlers';
import { BUNDLED_PLUGIN_NAMES } from '@gatehouse/protocol';
import { PLUGIN_NAMES, checkPluginConfig, pluginCatalog, validatePlugin } from './schemas';

describe('plugin schemas', () => {
  it('has a handler for every schema, and every bundled plugin', () => {
    expect([...PLUGIN_HANDLERS.keys()].sort()).toEqual([...PLUGIN_NAMES]);
    expect([...PLUGIN_NAMES]).toEqual([...BUNDLED_PLUGIN_NAMES].sort());
  });

  it("uses Kong's priorities", () => {
    const priority = (n: string): number => PLUGIN_HANDLERS.get(n)!.priority;
    expect(Object.fromEntries(PLUGIN_NAMES.map((n) => [n, priority(n)]))).toEqual({
      acl: 950,
      'proxy-cache': 100,
      'basic-auth': 1100,
      'correlation-id': 100001,
      cors: 2000,
      'hmac-auth': 1030,
      'ip-restriction': 990,
      jwt: 1450,
      'key-auth': 1250,
      'post-function': -1000,
      'pre-function': 1000000,
      prometheus: 13,
      'rate-limiting': 910,
      'request-size-limiting': 951,
      'request-termination': 2,
      'request-transformer': 801,
      'response-transformer': 800,
      opentelemetry: 14,
      statsd: 11,
      'http-log': 12,
      'file-log': 9,
      'tcp-log': 7,
      'udp-log': 8,
      syslog: 4,
    });
  });

  it("fills Kong's defaults", () => {
    const rl = checkPluginConfig('rate-limiting', { minute: 5 });
    expect(rl).toEqual({
      ok: true,
      config: expect.objectContaining({
        minute: 5,
        second: null,
        limit_by: 'consumer',
        policy: 'local',
        fault_tolerant: true,
        hide_client_headers: false,
        redis_port: 6379,
        redis_timeout: 2000,
      }),
    });
    const ka = checkPluginConfig('key-auth', {});
    expect(ka).toEqual({
      ok: true,
      config: {
        key_names: ['apikey'],
        hide_credentials: false,
        anonymous: null,
        key_in_header: true,
        key_in_query: true,
        key_in_body: false,
        run_on_preflight: true,
        realm: null,
      },
    });
    const rt = checkPluginConfig('request-transformer', { add: { headers: ['x:1'] } });
    expect(rt.ok && rt.config.add).toEqual({ headers: ['x:1'], querystring: [], body: [] });
    expect(rt.ok && rt.config.remove).toEqual({ headers: [], querystring: [], body: [] });
  });

  it('names the bad field as config.<field>', () => {
    expect(validatePlugin({ name: 'rate-limiting', config: { minute: -1 } })).toEqual({
      ok: false,
      fields: { 'config.minute': expect.stringContaining('greater than 0') },
    });
    expect(validatePlugin({ name: 'rate-limiting', config: {} })).toEqual({ ok: false, fields: { config: expect.stringContaining("'config.minute'") } });
    expect(validatePlugin({ name: 'rate-limiting', config: { minute: 10, hour: 5 } })).toEqual({
      ok: false,
      fields: { 'config.hour': expect.stringContaining('cannot be lower') },
    });
    expect(validatePlugin({ name: 'rate-limiting', config: { minute: 1, policy: 'redis' } })).toEqual({
      ok: false,
      fields: { 'config.redis_host': 'required field missing' },
    });
    expect(validatePlugin({ name: 'key-auth', config: { key_names: 'apikey' } })).toEqual({ ok: false, fields: { 'config.key_names': expect.any(String) } });
    expect(validatePlugin({ name: 'cors', config: { nope: 1 } })).toEqual({ ok: false, fields: { 'config.nope': 'unknown field' } });
    expect(validatePlugin({ name: 'ip-restriction', config: { allow: ['10.0.0.0/33'] } })).toEqual({
      ok: false,
      fields: { 'config.allow[0]': 'invalid ip or cidr range' },
    });
    expect(validatePlugin({ name: 'request-transformer', config: { add: { headers: ['novalue'] } } })).toEqual({
      ok: false,
      fields: { 'config.add.headers[0]': expect.stringContaining('name:value') },
    });
  });

  it('refuses unknown plugins on `name` and consumer scoping where Kong does', () => {
    expect(validatePlugin({ name: 'no-such', config: {} })).toEqual({ ok: false, fields: { name: expect.stringContaining("plugin 'no-such' not enabled") } });
    expect(validatePlugin({ name: 'key-auth', config: {}, consumer: { id: 'c' } })).toEqual({
      ok: false,
      fields: { consumer: expect.stringContaining('cannot be scoped to a consumer') },
    });
    expect(validatePlugin({ name: 'rate-limiting', config: { minute: 1 }, consumer: { id: 'c' } }).ok).toBe(true);
  });

  it('serves declarative validation through the protocol catalog', () => {
    expect(pluginCatalog.has('acl')).toBe(true);
    expect(pluginCatalog.validateConfig!('acl', { allow: ['a'] })).toEqual({
      config: { allow: ['a'], deny: null, hide_groups_header: false, always_use_authenticated_groups: false },
    });
    expect(pluginCatalog.validateConfig!('acl', {})).toEqual({ issues: [{ path: ['allow'], message: expect.stringContaining('at least one') }] });
  });
});

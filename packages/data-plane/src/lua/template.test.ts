import { requestTransformerHandler } from '../plugins/request-transformer/handler';
import { checkPluginConfig } from '../plugins/schemas';
import { PluginRuntime } from '../plugins/runtime';
import { ConsumerIndex } from '../plugins/consumers';
import { emptyConfig } from '@gatehouse/protocol';
import { checkTemplate, parseTemplate, templateLua } from './template';
import { memoryLogger, requestContext } from './test-support';
import { loadLua } from './vm';

beforeAll(async () => {
  await loadLua();
});

const captures = { unnamed: ['/requests/user1/foo/user2/bar', 'foo', 'bar'], named: { user1: 'foo', user2: 'bar' } };

/** Runs request-transformer's access phase with `config` on a request (the plugin's schema fills the defaults). */
function transform(config: unknown, request: Parameters<typeof requestContext>[0] = {}) {
  const check = checkPluginConfig('request-transformer', config);
  if (!check.ok) throw new Error(JSON.stringify(check.issues));
  const { log, lines } = memoryLogger();
  const prepared = requestTransformerHandler.prepare(check.config as never, {
    consumers: new ConsumerIndex(emptyConfig()),
    runtime: new PluginRuntime(log),
    pluginId: 'p1',
    names: { service: () => undefined, route: () => undefined },
    entities: { service: () => undefined, route: () => undefined },
  });
  const ctx = requestContext(request);
  void requestTransformerHandler.access?.(ctx, prepared);
  return { ctx, lines };
}

describe('parseTemplate (Penlight $(…) as Kong uses it)', () => {
  it('splits text and balanced expressions', () => {
    expect(parseTemplate('a$(x)b$(f(y) .. "z")')).toEqual([{ text: 'a' }, { expr: 'x' }, { text: 'b' }, { expr: 'f(y) .. "z"' }]);
    expect(parseTemplate('$(x')).toEqual([{ text: '$(x' }]);
    expect(parseTemplate("$('$(uri_captures.user1)')")).toEqual([{ expr: "'$(uri_captures.user1)'" }]);
    expect(templateLua('v=$(headers.x)')).toBe('local __tostring = ...\nreturn "v=" .. __tostring((headers.x) or \'\')');
  });

  it('refuses expressions that do not parse or leave the surface', () => {
    expect(checkTemplate('$(headers.x)')).toBeNull();
    expect(checkTemplate('$(shared.written = true)')).toContain('does not compile');
    expect(checkTemplate('$(foo(headers.x))')).toContain('uses `foo`');
    expect(checkTemplate("$(require('inspect')(1))")).toContain('uses `require`');
    expect(checkPluginConfig('request-transformer', { add: { headers: ['x:$(os.getenv("HOME"))'] } })).toEqual({
      ok: false,
      issues: [{ path: ['add', 'headers', 0], message: expect.stringContaining('uses `os.getenv`') as unknown }],
    });
  });
});

describe('request-transformer templates (after Kong’s 02-access_spec)', () => {
  it('uri_captures by name and number, with defaults', () => {
    const { ctx } = transform(
      { add: { querystring: ['uri_param1:$(uri_captures.user1)', 'uri_param2:$(uri_captures.missing or "default2")', 'whole:$(uri_captures[0])'] } },
      { path: '/requests/user1/foo/user2/bar', captures },
    );
    expect(ctx.requestQuery).toBe('uri_param1=foo&uri_param2=default2&whole=%2Frequests%2Fuser1%2Ffoo%2Fuser2%2Fbar');
  });

  it('replace.uri from captures, arithmetic on them', () => {
    expect(transform({ replace: { uri: '/requests/user2/$(uri_captures.user2)/user1/$(uri_captures[1])' } }, { captures }).ctx.upstreamPath).toBe(
      '/requests/user2/bar/user1/foo',
    );
    expect(transform({ replace: { uri: '/n/$(10 * uri_captures.n)' } }, { captures: { unnamed: ['/x/2', '2'], named: { n: '2' } } }).ctx.upstreamPath).toBe(
      '/n/20',
    );
  });

  it('headers and query_params, case-insensitive header names, repeated headers as tables', () => {
    const { ctx } = transform(
      {
        add: {
          headers: [
            'x-from-query:$(query_params.q1)',
            'x-agent:$(headers["User-Agent"])',
            'X-Foo-Transformed:$(type(headers["X-Foo"]) == "table" and headers["X-Foo"][1] .. "-first" or headers["X-Foo"])',
          ],
          querystring: ['host_param:$(headers.host)'],
        },
      },
      { query: 'q1=v1', headers: { 'user-agent': 'curl', 'x-foo': ['1', '2'] } },
    );
    expect(ctx.upstreamHeaders).toMatchObject({ 'x-from-query': 'v1', 'x-agent': 'curl', 'x-foo-transformed': '1-first' });
    expect(ctx.requestQuery).toBe('q1=v1&host_param=example.test');
  });

  it("a quoted template is the escape: $('$(x)') sends $(x)", () => {
    expect(transform({ add: { querystring: ["q1:$('$(uri_captures.user1)')"] } }, { captures }).ctx.requestQuery).toBe('q1=%24%28uri_captures.user1%29');
  });

  it('shared reads kong.ctx.shared of the request (set by a pre-function)', () => {
    expect(transform({ add: { querystring: ['shared_param1:$(shared.my_version)'] } }).ctx.requestQuery).toBe('shared_param1=');
  });

  it('a template that fails at run time is a 500 and one log line', () => {
    const { ctx, lines } = transform({ add: { headers: ['x-bad:$(headers.nothing.deeper)'] } });
    expect(ctx.exitResponse?.status).toBe(500);
    expect(lines).toContainEqual(
      expect.objectContaining({ event: 'lua_function_failed', plugin: 'request-transformer', field: 'config.add.headers[0]', reason: 'error' }),
    );
  });

  it('values without $( stay literal and never touch Lua', () => {
    const { ctx } = transform({ add: { headers: ['x-lit:$ (not a template)', 'x-price:$5'] } });
    expect(ctx.upstreamHeaders).toMatchObject({ 'x-lit': '$ (not a template)', 'x-price': '$5' });
  });
});

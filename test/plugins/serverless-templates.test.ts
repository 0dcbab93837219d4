import type { Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { startConnectedDataPlane } from './support/connected-dp';
import { call, startEcho, type TestDataPlane } from './support/harness';

const RG = '/v1/runtime-groups/default';

/** Polls until `check` holds (every 100 ms, 20 s at most). */
async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Kong's serverless functions and request-transformer templates end to end:
 * the CP validates the Lua (400 naming the field), ships it to a real DP,
 * and the DP's sandboxed VM runs it on requests to a real echo upstream.
 */
describe('pre-function / post-function and templates through the control plane', () => {
  let cp: LoggedInControlPlane;
  let api: Client;
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: TestDataPlane;
  let serviceId: string;

  beforeAll(async () => {
    [cp, echo] = await Promise.all([startLoggedInControlPlane({ databasePrefix: 'lua' }), startEcho()]);
    api = cp.api;
    const svc = await api.post(`${RG}/services`, { name: 'lua-echo', url: echo.url });
    expect(svc.status).toBe(201);
    serviceId = svc.body.id;
    const creds = await api.post(`${RG}/dp-certificates`, {});
    dp = await startConnectedDataPlane(cp, creds.body);
  });

  afterAll(async () => {
    await Promise.all([dp?.stop(), cp?.stop(), echo?.close()]);
  });

  it('refuses Lua that does not compile or leaves the sandbox, naming the field and the function', async () => {
    const broken = await api.post(`${RG}/plugins`, { name: 'post-function', config: { access: ['kong.log.info("ok")', 'if then end'] } });
    expect(broken.status).toBe(400);
    expect(Object.keys(broken.body.fields)).toEqual(['config.access[1]']);
    expect(broken.body.fields['config.access[1]']).toContain('error parsing post-function: does not compile');

    const escape = await api.post(`${RG}/plugins`, { name: 'pre-function', config: { access: ['os.execute("id")'] } });
    expect(escape.status).toBe(400);
    expect(escape.body.fields['config.access[0]']).toContain('`os.execute`');

    const phase = await api.post(`${RG}/plugins`, { name: 'pre-function', config: { certificate: ['kong.log.info(1)'] } });
    expect(phase.status).toBe(400);
    expect(phase.body.fields['config.certificate']).toContain('not supported by Gatehouse');

    const template = await api.post(`${RG}/plugins`, { name: 'request-transformer', config: { add: { headers: ['x-bad:$(io.open("/etc/passwd"))'] } } });
    expect(template.status).toBe(400);
    expect(template.body.fields['config.add.headers[0]']).toContain('`io.open`');
  });

  it('a post-function header and a template reach the upstream; an erroring function is a 500', async () => {
    const route = await api.post(`${RG}/services/${serviceId}/routes`, { name: 'users', paths: ['~/users/(?<user>\\w+)$'], strip_path: false });
    expect(route.status).toBe(201);
    const routeRef = { id: route.body.id };
    const pre = await api.post(`${RG}/plugins`, {
      name: 'pre-function',
      route: routeRef,
      config: { access: ['kong.ctx.shared.tier = kong.request.get_header("x-tier") or "free"'] },
    });
    expect(pre.status).toBe(201);
    const post = await api.post(`${RG}/plugins`, {
      name: 'post-function',
      route: routeRef,
      config: {
        access: ['local n = 0\nreturn function()\n  n = n + 1\n  kong.service.request.set_header("X-Post", "seen-" .. kong.ctx.shared.tier)\nend'],
        header_filter: ['kong.response.set_header("X-Lua-Status", kong.response.get_status())'],
      },
    });
    expect(post.status).toBe(201);
    const rt = await api.post(`${RG}/plugins`, {
      name: 'request-transformer',
      route: routeRef,
      config: { add: { headers: ['x-user:$(uri_captures.user)', 'x-api-key:$(query_params.key or "none")', 'x-tier-copy:$(shared.tier)'] } },
    });
    expect(rt.status).toBe(201);

    const failing = await api.post(`${RG}/services/${serviceId}/routes`, { name: 'failing', paths: ['/failing'] });
    await api.post(`${RG}/plugins`, { name: 'post-function', route: { id: failing.body.id }, config: { access: ['local t = nil\nreturn t.field'] } });
    const looping = await api.post(`${RG}/services/${serviceId}/routes`, { name: 'looping', paths: ['/looping'] });
    await api.post(`${RG}/plugins`, { name: 'pre-function', route: { id: looping.body.id }, config: { access: ['while true do end'] } });

    await eventually('the Lua plugins to reach the DP', async () => (await call(dp.proxy, '/looping')).status === 500);

    const res = await call(dp.proxy, '/users/ann?key=k-123', { headers: { 'x-tier': 'gold' } });
    expect(res.status).toBe(200);
    expect(res.json.headers).toMatchObject({ 'x-post': 'seen-gold', 'x-user': 'ann', 'x-api-key': 'k-123', 'x-tier-copy': 'gold' });
    expect(res.headers.get('x-lua-status')).toBe('200');
    // The template text never reaches the upstream.
    expect(JSON.stringify(res.json)).not.toContain('$(');

    const defaults = await call(dp.proxy, '/users/bob');
    expect(defaults.json.headers).toMatchObject({ 'x-post': 'seen-free', 'x-user': 'bob', 'x-api-key': 'none' });

    const failed = await call(dp.proxy, '/failing');
    expect(failed.status).toBe(500);
    expect(failed.json).toEqual({ message: 'An unexpected error occurred' });
    const line = await dp.waitForEvent('lua_function_failed', 5000, (l) => l.field === 'config.access[0]' && l.plugin === 'post-function');
    expect(line).toMatchObject({ reason: 'error', phase: 'access' });
    expect(String(line.error)).toContain("attempt to index a nil value (local 't')");

    const looped = await call(dp.proxy, '/looping');
    expect(looped.status).toBe(500);
    await dp.waitForEvent('lua_function_failed', 5000, (l) => l.reason === 'timeout');
    // The DP keeps serving.
    expect((await call(dp.proxy, '/users/carl')).status).toBe(200);
  });
});

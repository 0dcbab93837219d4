import { emptyConfig } from '@gatehouse/protocol';
import { ConsumerIndex } from '../plugins/consumers';
import { preFunctionHandler } from '../plugins/pre-function/handler';
import { PluginRuntime } from '../plugins/runtime';
import { checkPluginConfig, validatePlugin } from '../plugins/schemas';
import { memoryLogger, requestContext } from './test-support';
import { loadLua } from './vm';

beforeAll(async () => {
  await loadLua();
});

function prepared(config: unknown) {
  const check = checkPluginConfig('pre-function', config);
  if (!check.ok) throw new Error(JSON.stringify(check.issues));
  const { log, lines } = memoryLogger();
  const conf = preFunctionHandler.prepare(check.config as never, {
    consumers: new ConsumerIndex(emptyConfig()),
    runtime: new PluginRuntime(log),
    pluginId: 'p1',
    names: { service: () => undefined, route: () => undefined },
    entities: { service: () => undefined, route: () => undefined },
  });
  return { conf, lines };
}

describe('pre-function / post-function', () => {
  it("validates as Kong's schema does, and names unsupported phases", () => {
    expect(validatePlugin({ name: 'pre-function', config: {} })).toEqual({
      ok: false,
      fields: { config: expect.stringContaining("at least one of these fields must be non-empty: 'config.certificate'") as unknown },
    });
    expect(validatePlugin({ name: 'post-function', config: { rewrite: ['kong.log.info(1)'], body_filter: ['x = 1'] } })).toEqual({
      ok: false,
      fields: {
        'config.rewrite': 'the rewrite phase is not supported by Gatehouse (supported: access, header_filter, log)',
        'config.body_filter': 'the body_filter phase is not supported by Gatehouse (supported: access, header_filter, log)',
      },
    });
    expect(validatePlugin({ name: 'pre-function', config: { access: ['x = 1'] }, consumer: { id: 'c' } })).toMatchObject({
      ok: false,
      fields: { consumer: expect.any(String) as unknown },
    });
    expect(validatePlugin({ name: 'pre-function', config: { log: ['kong.log.info(kong.response.get_status())'] } })).toMatchObject({ ok: true });
  });

  it('runs the functions of a phase in order; an exit stops the rest', () => {
    const { conf } = prepared({
      access: ['kong.service.request.set_header("x-1", "a")', 'kong.response.exit(429, "slow down")', 'kong.service.request.set_header("x-3", "c")'],
    });
    const ctx = requestContext();
    void preFunctionHandler.access?.(ctx, conf);
    expect(ctx.upstreamHeaders['x-1']).toBe('a');
    expect(ctx.upstreamHeaders['x-3']).toBeUndefined();
    expect(ctx.exitResponse).toMatchObject({ status: 429 });
  });

  it('a failing header_filter or log function is logged, the response goes on', () => {
    const { conf, lines } = prepared({ header_filter: ['error("in header_filter")'], log: ['local t = nil; t.x = 1'] });
    const ctx = requestContext();
    ctx.beginResponse(200, { 'x-up': '1' });
    preFunctionHandler.headerFilter?.(ctx, conf);
    preFunctionHandler.log?.(ctx, conf);
    expect(ctx.status).toBe(200);
    expect(ctx.exitResponse).toBeNull();
    expect(lines.filter((l) => l.event === 'lua_function_failed').map((l) => [l.phase, l.field])).toEqual([
      ['header_filter', 'config.header_filter[0]'],
      ['log', 'config.log[0]'],
    ]);
  });

  it('kong.ctx.shared lives from access to the log phase of the same request, then is dropped', async () => {
    const { conf, lines } = prepared({
      access: ['kong.ctx.shared.started = (kong.ctx.shared.started or "") .. "yes"'],
      log: ['kong.log.info("shared: ", tostring(kong.ctx.shared.started))'],
    });
    const ctx = requestContext();
    void preFunctionHandler.access?.(ctx, conf);
    preFunctionHandler.log?.(ctx, conf);
    await Promise.resolve();
    const next = requestContext();
    void preFunctionHandler.access?.(next, conf);
    preFunctionHandler.log?.(next, conf);
    expect(lines.filter((l) => l.event === 'lua_log').map((l) => l.message)).toEqual(['shared: yes', 'shared: yes']);
  });
});

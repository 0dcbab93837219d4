import { ConfigBuilder, type Ref } from '../support/config-builder';
import { call, startDataPlaneWith, startEcho, type TestDataPlane } from './support/harness';

/**
 * Kong's scoping precedence through a real DP (docs/PLUGINS.md, Scoping and precedence), one test per
 * level: each scope level has a request-termination instance answering its
 * own status, so the status shows which instance won. Consumers are
 * identified by a global key-auth (with an anonymous fallback).
 */
const STATUS = { rsc: 461, rc: 462, sc: 463, rs: 464, c: 465, r: 466, s: 467, g: 468 } as const;

describe('plugin precedence', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: TestDataPlane;

  beforeAll(async () => {
    echo = await startEcho();
    const b = new ConfigBuilder();
    const svc1 = b.service({ name: 'svc1', url: echo.url });
    const svc2 = b.service({ name: 'svc2', url: echo.url });
    const alice = b.consumer({ username: 'alice' });
    const bob = b.consumer({ username: 'bob' });
    b.consumer({ username: 'anonymous-user' });
    b.keyAuth(alice, 'alice-key');
    b.keyAuth(bob, 'bob-key');
    b.plugin('key-auth', { config: { anonymous: 'anonymous-user' } });

    b.route({ name: 'plain', service: svc1, paths: ['/plain'] });
    const r = b.route({ name: 'r', service: svc1, paths: ['/r'] });
    const rs = b.route({ name: 'rs', service: svc1, paths: ['/rs'] });
    const rc = b.route({ name: 'rc', service: svc1, paths: ['/rc'] });
    const rsc = b.route({ name: 'rsc', service: svc1, paths: ['/rsc'] });
    b.route({ name: 'other', service: svc2, paths: ['/other'] });
    const rs2 = b.route({ name: 'rs2', service: svc2, paths: ['/rs2'] });

    const term = (status: number, scope: { route?: Ref; service?: Ref; consumer?: Ref }) =>
      b.plugin('request-termination', { ...scope, config: { status_code: status, message: String(status) } });
    term(STATUS.g, {});
    term(STATUS.s, { service: svc1 });
    term(STATUS.r, { route: r });
    term(STATUS.c, { consumer: alice });
    term(STATUS.rs, { route: rs, service: svc1 });
    term(STATUS.rs, { route: rs2, service: svc2 });
    term(STATUS.sc, { service: svc1, consumer: alice });
    term(STATUS.rc, { route: rc, consumer: alice });
    term(STATUS.rsc, { route: rsc, service: svc1, consumer: alice });
    // A disabled, more specific instance leaves the next one in force.
    b.plugin('request-termination', { route: r, consumer: bob, enabled: false, config: { status_code: 499 } });
    dp = await startDataPlaneWith(b.build());
  });

  afterAll(async () => {
    await dp?.stop();
    await echo?.close();
  });

  const as = async (path: string, key?: string): Promise<number> => (await call(dp.proxy, path, { headers: key ? { apikey: key } : {} })).status;

  it('global applies where nothing more specific does', async () => {
    expect(await as('/other')).toBe(STATUS.g);
    expect(await as('/other', 'bob-key')).toBe(STATUS.g);
  });

  it('service beats global', async () => {
    expect(await as('/plain', 'bob-key')).toBe(STATUS.s);
  });

  it('route beats service', async () => {
    expect(await as('/r', 'bob-key')).toBe(STATUS.r);
    expect(await as('/r')).toBe(STATUS.r);
  });

  it('consumer beats route, service and global', async () => {
    expect(await as('/other', 'alice-key')).toBe(STATUS.c);
  });

  it('route+service beats consumer', async () => {
    expect(await as('/rs2', 'alice-key')).toBe(STATUS.rs);
    expect(await as('/rs', 'bob-key')).toBe(STATUS.rs);
  });

  it('service+consumer beats route+service', async () => {
    expect(await as('/plain', 'alice-key')).toBe(STATUS.sc);
    expect(await as('/rs', 'alice-key')).toBe(STATUS.sc);
    expect(await as('/r', 'alice-key')).toBe(STATUS.sc);
  });

  it('route+consumer beats service+consumer', async () => {
    expect(await as('/rc', 'alice-key')).toBe(STATUS.rc);
    expect(await as('/rc', 'bob-key')).toBe(STATUS.s);
  });

  it('route+service+consumer beats everything', async () => {
    expect(await as('/rsc', 'alice-key')).toBe(STATUS.rsc);
    expect(await as('/rsc', 'bob-key')).toBe(STATUS.s);
  });
});

import { ConfigBuilder } from '../support/config-builder';
import { call, startDataPlaneWith, startEcho, type TestDataPlane } from './support/harness';

/** cors, ip-restriction, request-size-limiting, request-termination and correlation-id through a real DP. */
describe('traffic plugins', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: TestDataPlane;

  beforeAll(async () => {
    echo = await startEcho();
    const b = new ConfigBuilder();
    const svc = b.service({ name: 'svc', url: echo.url });
    const route = (name: string) => b.route({ name, service: svc, paths: [`/${name}`] });
    b.plugin('cors', {
      route: route('cors'),
      config: {
        origins: ['https://app.example.com', 'https://.*\\.trusted\\.test'],
        methods: ['GET', 'POST'],
        headers: ['X-Custom'],
        exposed_headers: ['X-Total'],
        max_age: 600,
        credentials: true,
      },
    });
    b.plugin('cors', { route: route('cors-any') });
    b.plugin('ip-restriction', { route: route('ip-allow'), config: { allow: ['127.0.0.0/8'] } });
    b.plugin('ip-restriction', { route: route('ip-deny'), config: { deny: ['127.0.0.1', '::1'], status: 451, message: 'go away' } });
    b.plugin('ip-restriction', { route: route('ip-other'), config: { allow: ['10.0.0.0/8'] } });
    b.plugin('request-size-limiting', { route: route('size'), config: { allowed_payload_size: 10, size_unit: 'bytes' } });
    b.plugin('request-size-limiting', { route: route('size-cl'), config: { allowed_payload_size: 1, require_content_length: true } });
    b.plugin('request-termination', { route: route('term-default') });
    b.plugin('request-termination', { route: route('term-message'), config: { status_code: 403, message: 'So long and thanks for all the fish!' } });
    b.plugin('request-termination', { route: route('term-body'), config: { status_code: 200, body: '<h1>maintenance</h1>', content_type: 'text/html' } });
    b.plugin('request-termination', { route: route('term-trigger'), config: { status_code: 418, trigger: 'x-stop' } });
    b.plugin('request-termination', { route: route('term-echo'), config: { status_code: 200, echo: true } });
    b.plugin('correlation-id', { route: route('corr'), config: { echo_downstream: true } });
    b.plugin('correlation-id', { route: route('corr-uuid'), config: { header_name: 'X-Trace', generator: 'uuid' } });
    dp = await startDataPlaneWith(b.build());
  });

  afterAll(async () => {
    await dp?.stop();
    await echo?.close();
  });

  describe('cors', () => {
    it('answers a preflight itself with the configured headers', async () => {
      const a = await call(dp.proxy, '/cors', { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } });
      expect(a.status).toBe(200);
      expect(a.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(a.headers.get('access-control-allow-methods')).toBe('GET,POST');
      expect(a.headers.get('access-control-allow-headers')).toBe('X-Custom');
      expect(a.headers.get('access-control-max-age')).toBe('600');
      expect(a.headers.get('access-control-allow-credentials')).toBe('true');
      expect(a.headers.get('vary')).toContain('Origin');
    });

    it('matches regex origins and leaves unknown origins without Allow-Origin', async () => {
      const ok = await call(dp.proxy, '/cors', { headers: { origin: 'https://api.trusted.test' } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://api.trusted.test');
      expect(ok.headers.get('access-control-expose-headers')).toBe('X-Total');
      const no = await call(dp.proxy, '/cors', { headers: { origin: 'https://evil.test' } });
      expect(no.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('allows any origin by default, echoing the Kong default methods on preflight', async () => {
      const a = await call(dp.proxy, '/cors-any', {
        method: 'OPTIONS',
        headers: { origin: 'https://x.test', 'access-control-request-method': 'GET', 'access-control-request-headers': 'X-A' },
      });
      expect(a.headers.get('access-control-allow-origin')).toBe('*');
      expect(a.headers.get('access-control-allow-methods')).toBe('GET,HEAD,PUT,PATCH,POST,DELETE,OPTIONS,TRACE,CONNECT');
      expect(a.headers.get('access-control-allow-headers')).toBe('X-A');
      expect((await call(dp.proxy, '/cors-any', { headers: { origin: 'https://x.test' } })).headers.get('access-control-allow-origin')).toBe('*');
    });
  });

  describe('ip-restriction', () => {
    it('lets allowed addresses through and refuses others with 403', async () => {
      expect((await call(dp.proxy, '/ip-allow')).status).toBe(200);
      const a = await call(dp.proxy, '/ip-other');
      expect(a.status).toBe(403);
      expect(a.json).toEqual({ message: 'Your IP address is not allowed' });
    });

    it('refuses denied addresses with the configured status and message', async () => {
      const a = await call(dp.proxy, '/ip-deny');
      expect(a.status).toBe(451);
      expect(a.json).toEqual({ message: 'go away' });
    });
  });

  describe('request-size-limiting', () => {
    it('refuses a body over the limit with 413', async () => {
      expect((await call(dp.proxy, '/size', { method: 'POST', body: '0123456789' })).status).toBe(200);
      const a = await call(dp.proxy, '/size', { method: 'POST', body: '0123456789A' });
      expect(a.status).toBe(413);
      expect(a.json).toEqual({ message: 'Request size limit exceeded' });
    });

    it('checks chunked bodies by reading them', async () => {
      const chunked = new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode('0123456789ABCDEF'));
          c.close();
        },
      });
      const a = await call(dp.proxy, '/size', { method: 'POST', body: chunked, duplex: 'half' });
      expect(a.status).toBe(413);
    });

    it('requires a Content-Length with require_content_length', async () => {
      const chunked = new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode('x'));
          c.close();
        },
      });
      const a = await call(dp.proxy, '/size-cl', { method: 'POST', body: chunked, duplex: 'half' });
      expect(a.status).toBe(411);
      expect(a.json).toEqual({ message: 'A valid Content-Length header is required' });
    });
  });

  describe('request-termination', () => {
    it("answers 503 with Kong's default message", async () => {
      const a = await call(dp.proxy, '/term-default');
      expect(a.status).toBe(503);
      expect(a.json).toEqual({ message: 'The upstream server is currently unavailable' });
    });

    it('answers the configured status and message, or raw body and content type', async () => {
      const m = await call(dp.proxy, '/term-message');
      expect(m.status).toBe(403);
      expect(m.json).toEqual({ message: 'So long and thanks for all the fish!' });
      const b = await call(dp.proxy, '/term-body');
      expect(b.status).toBe(200);
      expect(b.text).toBe('<h1>maintenance</h1>');
      expect(b.headers.get('content-type')).toBe('text/html');
    });

    it('terminates only requests carrying the trigger header or query argument', async () => {
      expect((await call(dp.proxy, '/term-trigger')).status).toBe(200);
      expect((await call(dp.proxy, '/term-trigger', { headers: { 'x-stop': '1' } })).status).toBe(418);
      expect((await call(dp.proxy, '/term-trigger?x-stop')).status).toBe(418);
    });

    it('echoes the request with echo', async () => {
      const a = await call(dp.proxy, '/term-echo?a=1', { method: 'POST', body: 'hello' });
      expect(a.status).toBe(200);
      expect(a.json.request).toMatchObject({ method: 'POST', path: '/term-echo', query: { a: '1' }, raw_body: 'hello' });
    });
  });

  describe('correlation-id', () => {
    it('adds Kong-Request-ID (uuid#counter) upstream and echoes it downstream', async () => {
      const a = await call(dp.proxy, '/corr');
      const id = a.json.headers!['kong-request-id'];
      expect(id).toMatch(/^[0-9a-f-]{36}#\d+$/);
      expect(a.headers.get('kong-request-id')).toBe(id);
      const b = await call(dp.proxy, '/corr');
      expect(b.json.headers!['kong-request-id']).not.toBe(id);
    });

    it("keeps the client's id and uses the configured header and generator", async () => {
      expect((await call(dp.proxy, '/corr', { headers: { 'kong-request-id': 'mine' } })).json.headers!['kong-request-id']).toBe('mine');
      const u = await call(dp.proxy, '/corr-uuid');
      expect(u.json.headers!['x-trace']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(u.headers.get('x-trace')).toBeNull();
    });
  });
});

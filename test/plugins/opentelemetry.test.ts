import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigBuilder } from '../support/config-builder';
import { call, startDataPlaneWith, startEcho, type TestDataPlane } from './support/harness';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}
interface Export {
  headers: http.IncomingHttpHeaders;
  resource: Record<string, unknown>;
  spans: OtlpSpan[];
}

/** An OTLP/HTTP receiver: decodes each JSON ExportTraceServiceRequest it gets. */
async function startReceiver(): Promise<{ url: string; exports: Export[]; close(): Promise<void> }> {
  const exports: Export[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(data) as {
        resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
      };
      for (const rs of body.resourceSpans)
        exports.push({
          headers: req.headers,
          resource: Object.fromEntries(rs.resource.attributes.map((a) => [a.key, a.value.stringValue])),
          spans: rs.scopeSpans.flatMap((s) => s.spans),
        });
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`,
    exports,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function until<T>(what: () => T | undefined | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** opentelemetry through a real DP: spans exported to a real OTLP receiver, trace context sent upstream. */
describe('opentelemetry plugin', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let dp: TestDataPlane;
  const spans = () => receiver.exports.flatMap((e) => e.spans);

  beforeAll(async () => {
    echo = await startEcho();
    receiver = await startReceiver();
    const b = new ConfigBuilder();
    const svc = b.service({ name: 'traced', url: echo.url });
    const all = b.route({ name: 'all', service: svc, paths: ['/all'] });
    b.plugin('opentelemetry', {
      route: all,
      config: {
        traces_endpoint: receiver.url,
        sampling_rate: 1,
        headers: { 'X-Otel-Token': 'tok' },
        resource_attributes: { 'deployment.environment': 'test' },
        http_response_header_for_traceid: 'X-Trace-Id',
        queue: { max_coalescing_delay: 0.1 },
      },
    });
    const none = b.route({ name: 'none', service: svc, paths: ['/none'] });
    b.plugin('opentelemetry', { route: none, config: { traces_endpoint: receiver.url, sampling_rate: 0, queue: { max_coalescing_delay: 0.1 } } });
    dp = await startDataPlaneWith(b.build());
  });

  afterAll(async () => {
    await dp?.stop();
    await echo?.close();
    await receiver?.close();
  });

  it("continues the client's W3C trace: the upstream's traceparent is the balancer span, its parent the request span, whose parent is the client's", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const clientSpan = '00f067aa0ba902b7';
    const a = await call(dp.proxy, '/all/x', { headers: { traceparent: `00-${traceId}-${clientSpan}-01`, tracestate: 'vendor=1' } });
    expect(a.status).toBe(200);
    const upstream = a.json.headers ?? {};
    const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(upstream.traceparent ?? '');
    expect(m?.[1]).toBe(traceId);
    const upstreamParent = m?.[2];
    expect(upstreamParent).not.toBe(clientSpan);
    expect(upstream.tracestate).toBe('vendor=1');
    expect(a.headers.get('x-trace-id')).toBe(traceId);

    const got = await until(() => {
      const mine = spans().filter((s) => s.traceId === traceId);
      return mine.length >= 2 && mine;
    });
    const root = got.find((s) => s.name === 'kong');
    const balancer = got.find((s) => s.name === 'kong.balancer');
    expect(root?.parentSpanId).toBe(clientSpan);
    expect(root?.kind).toBe(2);
    expect(balancer?.spanId).toBe(upstreamParent);
    expect(balancer?.parentSpanId).toBe(root?.spanId);
    expect(balancer?.kind).toBe(3);
    expect(BigInt(root?.endTimeUnixNano ?? '0')).toBeGreaterThan(BigInt(root?.startTimeUnixNano ?? '0'));
    expect(root?.attributes).toEqual(
      expect.arrayContaining([
        { key: 'http.method', value: { stringValue: 'GET' } },
        { key: 'http.status_code', value: { intValue: '200' } },
      ]),
    );
    const exp = receiver.exports.find((e) => e.spans.some((s) => s.traceId === traceId));
    expect(exp?.headers['x-otel-token']).toBe('tok');
    expect(exp?.headers['content-type']).toBe('application/json');
    expect(exp?.resource).toMatchObject({ 'service.name': 'kong', 'deployment.environment': 'test' });
  });

  it('starts a new trace without a traceparent (sampling_rate 1)', async () => {
    const a = await call(dp.proxy, '/all/new');
    const traceId = a.headers.get('x-trace-id') ?? '';
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(a.json.headers?.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const root = await until(() => spans().find((s) => s.traceId === traceId && s.name === 'kong'));
    expect(root.parentSpanId).toBeUndefined();
  });

  it('sampling_rate 0: the upstream gets an unsampled traceparent and nothing is exported', async () => {
    const a = await call(dp.proxy, '/none');
    const m = /^00-([0-9a-f]{32})-[0-9a-f]{16}-00$/.exec(a.json.headers?.traceparent ?? '');
    expect(m).not.toBeNull();
    await call(dp.proxy, '/all/after');
    await until(() => spans().some((s) => s.attributes.some((x) => x.value.stringValue === '/all/after')));
    expect(spans().some((s) => s.traceId === m?.[1])).toBe(false);
  });
});

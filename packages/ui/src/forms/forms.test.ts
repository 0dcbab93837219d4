import { analyticsReport, implementationInput, routeInput, serviceInput, type AnalyticsReport } from '@gatehouse/protocol';
import { check, fieldError, fieldsUnder, withoutChanged, withPrefix } from './validate';
import { emptyServiceForm, serviceBody } from '../service-hub/implementation/serviceForm';
import { emptyRouteForm, routeBody } from '../service-hub/implementation/routeForm';
import { timeline } from '../analytics/timeline';
import { daysUntil, toDate } from '../data/time';

// The forms build request bodies and check them with the API's own schemas:
// these cases pin that what a user types is refused (or accepted) with the
// field names and words the API uses.
describe('New Implementation forms', () => {
  const walkthroughService = { ...emptyServiceForm(), name: 'example_gateway_service', url: 'http://mockbin.org' };
  const walkthroughRoute = { ...emptyRouteForm(), name: 'mockbin', methods: 'GET', paths: ['/mock'] };

  it('accepts the walkthrough, with Kong defaults for the untouched advanced fields', () => {
    const checked = check(serviceInput, serviceBody(walkthroughService));
    expect(checked).toEqual({
      ok: true,
      value: expect.objectContaining({
        name: 'example_gateway_service',
        protocol: 'http',
        host: 'mockbin.org',
        port: 80,
        retries: 5,
        connect_timeout: 60000,
        enabled: true,
      }),
    });
    expect(check(implementationInput, { service: serviceBody(walkthroughService), route: routeBody(walkthroughRoute) }).ok).toBe(true);
  });

  it('refuses a gateway service name with spaces, on `name`, in the API words', () => {
    const checked = check(serviceInput, serviceBody({ ...walkthroughService, name: 'Example Service' }));
    expect(checked).toEqual({ ok: false, fields: { name: 'must only contain alphanumeric and ., -, _, ~, : characters' } });
  });

  it('reports a blank advanced number as the default and a non-number on its field', () => {
    expect(check(serviceInput, serviceBody({ ...walkthroughService, retries: '' }))).toEqual({ ok: true, value: expect.objectContaining({ retries: 5 }) });
    const bad = check(serviceInput, serviceBody({ ...walkthroughService, read_timeout: 'soon' }));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && Object.keys(bad.fields)).toEqual(['read_timeout']);
  });

  it('takes comma-separated methods and names a bad path by its position', () => {
    expect(routeBody({ ...walkthroughRoute, methods: 'GET, post' }).methods).toEqual(['GET', 'post']);
    expect(check(routeInput, routeBody({ ...walkthroughRoute, methods: 'GET, post' }))).toEqual({
      ok: true,
      value: expect.objectContaining({ methods: ['GET', 'POST'] }),
    });
    const bad = check(routeInput, routeBody({ ...walkthroughRoute, paths: ['/ok', 'mock'] }));
    expect(bad).toEqual({ ok: false, fields: { 'paths[1]': 'should start with: / (fixed path) or ~/ (regex path)' } });
    expect(!bad.ok && fieldError(bad.fields, 'paths')).toBe('should start with: / (fixed path) or ~/ (regex path)');
  });

  it('refuses a route with nothing to match on `paths`', () => {
    expect(check(routeInput, routeBody(emptyRouteForm()))).toEqual({
      ok: false,
      fields: { paths: "must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'" },
    });
  });

  it('splits an implementation answer into the fields of each step', () => {
    const checked = check(implementationInput, {
      service: serviceBody({ ...walkthroughService, url: 'not a url' }),
      route: routeBody({ ...walkthroughRoute, paths: ['mock'] }),
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    // A URL that does not parse leaves no host either; the URL field shows the `url` message first.
    expect(fieldsUnder(checked.fields, 'service.')).toMatchObject({ url: 'must be a valid URL such as http://example.com:8080/path' });
    expect(fieldsUnder(checked.fields, 'route.')).toEqual({ 'paths[0]': 'should start with: / (fixed path) or ~/ (regex path)' });
  });

  it('drops the message of a field once it is edited, and only that one', () => {
    const fields = { 'route.name': 'taken', 'route.paths[0]': 'bad', 'service.name': 'bad' };
    expect(withoutChanged(fields, walkthroughRoute, { ...walkthroughRoute, paths: ['/x'] }, 'route.')).toEqual({
      'route.name': 'taken',
      'service.name': 'bad',
    });
    expect(withoutChanged(fields, walkthroughRoute, walkthroughRoute, 'route.')).toBe(fields);
  });

  it("puts a step's refusals under the name the API gives that step", () => {
    const checked = check(serviceInput, serviceBody({ ...walkthroughService, name: 'a b' }));
    expect(!checked.ok && withPrefix('service.', checked.fields)).toEqual({ 'service.name': 'must only contain alphanumeric and ., -, _, ~, : characters' });
  });
});

describe('traffic timeline and times', () => {
  const report = (over: Partial<AnalyticsReport>): AnalyticsReport =>
    analyticsReport.parse({
      since: '2026-01-01T00:00:00.000Z',
      until: '2026-01-01T00:03:00.000Z',
      granularity: 'minute',
      total: 3,
      by_status_code: { '200': 3 },
      series: [{ at: '2026-01-01T00:01:00.000Z', total: 3, by_status_code: { '200': 3 } }],
      latency_ms: { p50: 1, p95: 1, p99: 1 },
      upstream_latency_ms: { p50: 1, p95: 1, p99: 1 },
      ...over,
    });

  it('gives every minute of the window a point, quiet ones empty', () => {
    const points = timeline(report({}));
    expect(points.map((p) => [new Date(p.time).toISOString().slice(11, 16), p['200']])).toEqual([
      ['00:00', undefined],
      ['00:01', 3],
      ['00:02', undefined],
    ]);
  });

  it('draws only the listed periods of a window too long to fill', () => {
    const points = timeline(report({ since: '2026-01-01T00:00:00.000Z', until: '2026-01-03T00:00:00.000Z' }));
    expect(points).toEqual([{ time: Date.parse('2026-01-01T00:01:00.000Z'), '200': 3 }]);
  });

  it('reads seconds since the epoch and ISO strings alike', () => {
    expect(toDate(1767225600)?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(toDate('2026-01-01T00:00:00Z')?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(toDate(null)).toBeNull();
    expect(daysUntil(1767225600 + 29 * 86400 + 60, 1767225600 * 1000)).toBe(29);
  });
});

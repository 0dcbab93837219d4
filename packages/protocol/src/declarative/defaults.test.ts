import { readDeclarativeText, type ReadResult } from './read';

function ok(result: ReadResult): Extract<ReadResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected the file to be valid, got ${JSON.stringify(result.fields, null, 2)}`);
  return result;
}

function fields(text: string): Record<string, string> {
  const result = readDeclarativeText(text);
  if (result.ok) throw new Error('expected the file to be rejected');
  return result.fields;
}

describe('_info.defaults (decK’s defaults for fields an entity leaves out)', () => {
  it('fill the fields services and routes leave out, nested or not, and never override what an entity sets', () => {
    const { state, warnings } = ok(
      readDeclarativeText(`_format_version: "3.0"
_info:
  defaults:
    service: { retries: 9, read_timeout: 5000, port: 8080, protocol: https }
    route: { strip_path: false, preserve_host: true }
services:
  - name: plain
    host: plain.internal
    routes:
      - name: nested
        paths: [/n]
  - name: own
    host: own.internal
    retries: 1
    port: 81
  - name: by-url
    url: http://by-url.internal/base
routes:
  - name: top
    service: plain
    paths: [/t]
    strip_path: true
`),
    );
    expect(warnings).toEqual([]);
    const svc = Object.fromEntries(state.services.map((s) => [s.key, s.fields]));
    expect(svc.plain).toMatchObject({ retries: 9, read_timeout: 5000, port: 8080, protocol: 'https' });
    expect(svc.own).toMatchObject({ retries: 1, read_timeout: 5000, port: 81, protocol: 'https' });
    // A service's url sets protocol, host, port and path: the URL wins over the defaults, as in decK.
    expect(svc['by-url']).toMatchObject({ retries: 9, protocol: 'http', port: 80, path: '/base' });
    const rt = Object.fromEntries(state.routes.map((r) => [r.key, r.fields]));
    expect(rt.nested).toMatchObject({ strip_path: false, preserve_host: true });
    expect(rt.top).toMatchObject({ strip_path: true, preserve_host: true });
  });

  it('refuse what identifies an entity (decK’s restricted fields) and references, at their path', () => {
    expect(
      fields(`_format_version: "3.0"
_info:
  defaults:
    service: { name: x, id: 5f0b2c3e-1f9a-4c55-9d2a-1b8a6c1e2f3a }
    route: { service: s }
`),
    ).toEqual({
      '_info.defaults.service.name': 'cannot be set in defaults',
      '_info.defaults.service.id': 'cannot be set in defaults',
      '_info.defaults.route.service': 'cannot be set in defaults',
    });
  });

  it('name a wrong value where the defaults wrote it, not on each entity', () => {
    const f = fields(`_format_version: "3.0"
_info:
  defaults:
    service: { retries: many, colour: red }
services:
  - name: a
    host: a.internal
    colour: blue
  - name: b
    host: b.internal
`);
    expect(f).toEqual({
      '_info.defaults.service.retries': expect.stringMatching(/number/),
      '_info.defaults.service.colour': 'unknown field',
      'services[0].colour': 'unknown field',
    });
  });

  it('fill upstreams and targets too, and refuse a default target address', () => {
    const { state } = ok(
      readDeclarativeText(`_format_version: "3.0"
_info:
  defaults:
    upstream: { algorithm: least-connections }
    target: { weight: 5 }
upstreams:
  - name: u
    targets:
      - target: 10.0.0.1:80
      - { target: 10.0.0.2:80, weight: 50 }
`),
    );
    expect(state.upstreams[0]!.fields.algorithm).toBe('least-connections');
    expect(state.targets.map((t) => t.fields.weight)).toEqual([5, 50]);
    expect(fields('_format_version: "3.0"\n_info:\n  defaults:\n    target: { target: x }\n')).toEqual({
      '_info.defaults.target.target': 'cannot be set in defaults',
    });
  });

  it('of kinds decK does not know are unknown fields', () => {
    expect(fields('_format_version: "3.0"\n_info:\n  defaults:\n    consumer: { tags: [a] }\n')).toEqual({ '_info.defaults.consumer': 'unknown field' });
  });
});

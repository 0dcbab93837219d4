import { issuesToFields } from '../errors';
import { routeInput } from './route';

/** The `fields` of the 400 a body would get, or the parsed route. */
function check(body: Record<string, unknown>): { ok: true; route: Record<string, unknown> } | { ok: false; fields: Record<string, string> } {
  const r = routeInput.safeParse(body);
  return r.success ? { ok: true, route: r.data } : { ok: false, fields: issuesToFields(r.error.issues) };
}

describe("route protocols (Kong's routes_subschemas)", () => {
  it('stores snis, sources and destinations with both keys of each endpoint', () => {
    const r = check({ protocols: ['tcp'], sources: [{ ip: '10.0.0.0/8' }], destinations: [{ port: 9000 }, { ip: '::1', port: 1 }] });
    expect(r).toEqual({
      ok: true,
      route: expect.objectContaining({
        snis: [],
        sources: [{ ip: '10.0.0.0/8', port: null }],
        destinations: [
          { ip: null, port: 9000 },
          { ip: '::1', port: 1 },
        ],
      }),
    });
  });

  it('http routes need a match field and cannot set sources or destinations', () => {
    expect(check({})).toEqual({ ok: false, fields: { paths: "must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'" } });
    expect(check({ protocols: ['http'] })).toEqual({
      ok: false,
      fields: { paths: "must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http'" },
    });
    expect(check({ protocols: ['https'], snis: ['example.com'] }).ok).toBe(true);
    expect(check({ paths: ['/'], sources: [{ port: 1 }], destinations: [{ port: 2 }] })).toEqual({
      ok: false,
      fields: {
        sources: "cannot set 'sources' when 'protocols' is 'http' or 'https'",
        destinations: "cannot set 'destinations' when 'protocols' is 'http' or 'https'",
      },
    });
  });

  it('snis only with a TLS protocol', () => {
    expect(check({ protocols: ['http'], paths: ['/'], snis: ['a.example'] })).toEqual({
      ok: false,
      fields: { snis: "'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'" },
    });
    expect(check({ protocols: ['tcp'], snis: ['a.example'] })).toEqual({
      ok: false,
      fields: { snis: "'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'" },
    });
  });

  it('stream routes need sources, destinations or snis and cannot set http fields', () => {
    expect(check({ protocols: ['tcp'] })).toEqual({
      ok: false,
      fields: { sources: "must set one of 'sources', 'destinations', 'snis' when 'protocols' is 'tcp', 'tls' or 'udp'" },
    });
    expect(check({ protocols: ['tls'], snis: ['*.example.com'] }).ok).toBe(true);
    expect(check({ protocols: ['tls_passthrough'], destinations: [{ port: 1 }] })).toEqual({
      ok: false,
      fields: { snis: "must set snis when 'protocols' is 'tls_passthrough'" },
    });
    expect(check({ protocols: ['tcp'], destinations: [{ port: 1 }], methods: ['GET'], hosts: ['a'], paths: ['/'], headers: { x: ['1'] } })).toEqual({
      ok: false,
      fields: {
        methods: "cannot set 'methods' when 'protocols' is 'tcp', 'tls', 'tls_passthrough' or 'udp'",
        hosts: "cannot set 'hosts' when 'protocols' is 'tcp', 'tls', 'tls_passthrough' or 'udp'",
        paths: "cannot set 'paths' when 'protocols' is 'tcp', 'tls', 'tls_passthrough' or 'udp'",
        headers: "cannot set 'headers' when 'protocols' is 'tcp', 'tls', 'tls_passthrough' or 'udp'",
      },
    });
  });

  it('protocols of different families do not mix; udp is refused', () => {
    expect(check({ protocols: ['http', 'tcp'], paths: ['/'] })).toEqual({
      ok: false,
      fields: { protocols: "these sets are mutually exclusive: ('http', 'https'), ('tcp', 'tls', 'udp')" },
    });
    expect(check({ protocols: ['tls', 'tls_passthrough'], snis: ['a'] })).toEqual({
      ok: false,
      fields: { protocols: "these sets are mutually exclusive: ('tcp', 'tls', 'udp'), ('tls_passthrough')" },
    });
    expect(check({ protocols: ['tcp', 'udp'], sources: [{ port: 1 }] })).toEqual({
      ok: false,
      fields: { 'protocols[1]': "'udp' is not supported: the stream proxy carries 'tcp', 'tls' and 'tls_passthrough'" },
    });
  });

  it('grpc routes: strip_path false by default and never true, no methods', () => {
    const r = check({ protocols: ['grpc'], paths: ['/a.B/'] });
    expect(r.ok && r.route.strip_path).toBe(false);
    expect(check({ protocols: ['grpcs'], paths: ['/'], strip_path: true, methods: ['POST'] })).toEqual({
      ok: false,
      fields: {
        strip_path: "cannot set 'strip_path' when 'protocols' is 'grpc' or 'grpcs'",
        methods: "cannot set 'methods' when 'protocols' is 'grpc' or 'grpcs'",
      },
    });
    expect(check({ protocols: ['grpc'] })).toEqual({ ok: false, fields: { paths: "must set one of 'hosts', 'headers', 'paths' when 'protocols' is 'grpc'" } });
  });

  it("checks SNIs and endpoints with Kong's messages", () => {
    const sni = (name: string): unknown => {
      const r = check({ protocols: ['tls'], snis: [name] });
      return r.ok ? 'ok' : r.fields['snis[0]'];
    };
    expect(sni('a.example.com')).toBe('ok');
    expect(sni('*.example.com')).toBe('ok');
    expect(sni('example.*')).toBe('ok');
    expect(sni('a.*.com')).toBe('wildcard must be leftmost or rightmost character');
    expect(sni('*.example.*')).toBe('only one wildcard must be specified');
    expect(sni('10.0.0.1')).toBe('must not be an IP');
    expect(sni('example.com:443')).toBe('must not have a port');
    expect(sni('bad name')).toBe('invalid value: bad name');
    const end = (e: unknown): unknown => {
      const r = check({ protocols: ['tcp'], sources: [e] });
      return r.ok ? 'ok' : (r.fields['sources[0]'] ?? r.fields['sources[0].ip'] ?? r.fields['sources[0].port']);
    };
    expect(end({ ip: '10.0.0.300' })).toBe("invalid ip or cidr range: '10.0.0.300'");
    expect(end({ ip: '10.0.0.0/33' })).toBe("invalid ip or cidr range: '10.0.0.0/33'");
    expect(end({})).toBe("at least one of these fields must be non-empty: 'ip', 'port'");
    expect(end({ port: 70000 })).toMatch(/65535/);
    expect(end({ ip: '2001:db8::/32', port: 22 })).toBe('ok');
  });
});

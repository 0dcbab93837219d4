import type { Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { query } from '../support/database';
import { createDb } from '../../packages/control-plane/src/database/client';
import { buildGroupConfig } from '../../packages/control-plane/src/snapshot/build';

const RG = '/v1/runtime-groups/default';

describe('route snis, sources and destinations; stream protocols (API and snapshot)', () => {
  let cp: LoggedInControlPlane;
  let api: Client;
  let databaseUrl: string;

  beforeAll(async () => {
    cp = await startLoggedInControlPlane();
    ({ api, databaseUrl } = cp);
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('stores a tcp route with sources and destinations, answers them with both keys, and ships them in the snapshot', async () => {
    const svc = await api.post(`${RG}/services`, { name: 'tcp-echo', protocol: 'tcp', host: '127.0.0.1', port: 9000 });
    expect(svc.status).toBe(201);
    expect(svc.body).toMatchObject({ protocol: 'tcp', port: 9000 });
    const created = await api.post(`${RG}/services/tcp-echo/routes`, {
      name: 'tcp-in',
      protocols: ['tcp'],
      sources: [{ ip: '10.0.0.0/8' }, { port: 5000 }],
      destinations: [{ ip: '127.0.0.1', port: 7000 }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      protocols: ['tcp'],
      snis: [],
      sources: [
        { ip: '10.0.0.0/8', port: null },
        { ip: null, port: 5000 },
      ],
      destinations: [{ ip: '127.0.0.1', port: 7000 }],
      methods: [],
      paths: [],
    });
    const patched = await api.patch(`${RG}/routes/tcp-in`, { sources: null });
    expect(patched.status).toBe(200);
    expect(patched.body.sources).toEqual([]);
    const tls = await api.post(`${RG}/routes`, { name: 'tls-in', protocols: ['tls_passthrough'], snis: ['*.example.test'], service: { name: 'tcp-echo' } });
    expect(tls.status).toBe(201);
    expect(tls.body.snis).toEqual(['*.example.test']);

    const [group] = await query<{ id: string }>(databaseUrl, "SELECT id FROM runtime_groups WHERE name = 'default'");
    const db = createDb(databaseUrl);
    try {
      const built = await buildGroupConfig(db, group?.id ?? '');
      expect(built?.config.routes.find((r) => r.name === 'tcp-in')).toMatchObject({ destinations: [{ ip: '127.0.0.1', port: 7000 }], sources: [] });
      expect(built?.config.routes.find((r) => r.name === 'tls-in')).toMatchObject({ protocols: ['tls_passthrough'], snis: ['*.example.test'] });
    } finally {
      await db.$disconnect();
    }
  });

  it("refuses what Kong refuses, with Kong's messages naming the field", async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ protocols: ['tcp'] }, 'sources', "must set one of 'sources', 'destinations', 'snis' when 'protocols' is 'tcp', 'tls' or 'udp'"],
      [{ protocols: ['tls_passthrough'], destinations: [{ port: 1 }] }, 'snis', "must set snis when 'protocols' is 'tls_passthrough'"],
      [
        { protocols: ['http'], paths: ['/'], snis: ['a.test'] },
        'snis',
        "'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'",
      ],
      [{ paths: ['/'], sources: [{ port: 1 }] }, 'sources', "cannot set 'sources' when 'protocols' is 'http' or 'https'"],
      [
        { protocols: ['tcp'], sources: [{ port: 1 }], paths: ['/'] },
        'paths',
        "cannot set 'paths' when 'protocols' is 'tcp', 'tls', 'tls_passthrough' or 'udp'",
      ],
      [{ protocols: ['https', 'tls'], snis: ['a.test'] }, 'protocols', "these sets are mutually exclusive: ('http', 'https'), ('tcp', 'tls', 'udp')"],
      [{ protocols: ['udp'], sources: [{ port: 53 }] }, 'protocols[0]', "'udp' is not supported: the stream proxy carries 'tcp', 'tls' and 'tls_passthrough'"],
      [{ protocols: ['tcp'], sources: [{ ip: '10.0.0.0/40' }] }, 'sources[0].ip', "invalid ip or cidr range: '10.0.0.0/40'"],
      [{ protocols: ['tcp'], destinations: [{}] }, 'destinations[0]', "at least one of these fields must be non-empty: 'ip', 'port'"],
      [{ protocols: ['tls'], snis: ['10.0.0.1'] }, 'snis[0]', 'must not be an IP'],
      [{ protocols: ['tls'], snis: ['a.*.test'] }, 'snis[0]', 'wildcard must be leftmost or rightmost character'],
    ];
    for (const [body, field, message] of cases) {
      const res = await api.post(`${RG}/routes`, body);
      expect({ body, status: res.status, message: res.body.fields?.[field] }).toEqual({ body, status: 400, message });
    }
  });

  it('services take the tcp, tls and tls_passthrough protocols', async () => {
    for (const protocol of ['tls', 'tls_passthrough']) {
      const res = await api.post(`${RG}/services`, { protocol, host: 'stream.internal', port: 7443 });
      expect(res.status).toBe(201);
      expect(res.body.protocol).toBe(protocol);
    }
  });
});

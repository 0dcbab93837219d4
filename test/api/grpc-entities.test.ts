import type { Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';

const RG = '/v1/runtime-groups/default';

describe('grpc and grpcs services and routes (API)', () => {
  let cp: LoggedInControlPlane;
  let api: Client;

  beforeAll(async () => {
    cp = await startLoggedInControlPlane();
    ({ api } = cp);
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it("stores grpc and grpcs services with Kong's default ports, and a grpc route with strip_path false by default", async () => {
    const plain = await api.post(`${RG}/services`, { name: 'greeter', url: 'grpc://greeter.internal' });
    expect(plain.status).toBe(201);
    expect(plain.body).toMatchObject({ protocol: 'grpc', host: 'greeter.internal', port: 80, path: null });
    const secure = await api.post(`${RG}/services`, { name: 'greeter-tls', protocol: 'grpcs', host: 'greeter.internal' });
    expect(secure.status).toBe(201);
    expect(secure.body).toMatchObject({ protocol: 'grpcs', port: 443 });

    const route = await api.post(`${RG}/services/greeter/routes`, { name: 'greet', protocols: ['grpc', 'grpcs'], paths: ['/hello.Greeter/'] });
    expect(route.status).toBe(201);
    expect(route.body).toMatchObject({ protocols: ['grpc', 'grpcs'], strip_path: false, methods: [] });
    const byHeader = await api.post(`${RG}/services/greeter-tls/routes`, { protocols: ['grpcs'], snis: ['greeter.example.test'] });
    expect(byHeader.status).toBe(201);
  });

  it("refuses what Kong refuses for gRPC, with Kong's messages naming the field", async () => {
    const services: [Record<string, unknown>, string, string][] = [
      [{ protocol: 'grpc', host: 'a.internal', path: '/prefix' }, 'path', 'value must be null'],
      [{ url: 'grpcs://a.internal/prefix' }, 'path', 'value must be null'],
    ];
    for (const [body, field, message] of services) {
      const res = await api.post(`${RG}/services`, body);
      expect({ body, status: res.status, message: res.body.fields?.[field] }).toEqual({ body, status: 400, message });
    }
    const routes: [Record<string, unknown>, string, string][] = [
      [{ protocols: ['grpc'], paths: ['/a.B/'], methods: ['POST'] }, 'methods', "cannot set 'methods' when 'protocols' is 'grpc' or 'grpcs'"],
      [{ protocols: ['grpc'], paths: ['/a.B/'], strip_path: true }, 'strip_path', "cannot set 'strip_path' when 'protocols' is 'grpc' or 'grpcs'"],
      [{ protocols: ['grpc'] }, 'paths', "must set one of 'hosts', 'headers', 'paths' when 'protocols' is 'grpc'"],
      [{ protocols: ['grpcs'] }, 'paths', "must set one of 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'grpcs'"],
      [{ protocols: ['grpc', 'http'], paths: ['/a.B/'] }, 'protocols', "these sets are mutually exclusive: ('grpc', 'grpcs'), ('http', 'https')"],
    ];
    for (const [body, field, message] of routes) {
      const res = await api.post(`${RG}/routes`, body);
      expect({ body, status: res.status, message: res.body.fields?.[field] }).toEqual({ body, status: 400, message });
    }
  });

  it('refuses turning a service with a path into a grpc one, naming path', async () => {
    const created = await api.post(`${RG}/services`, { name: 'prefixed', url: 'http://a.internal/v1' });
    expect(created.status).toBe(201);
    const patched = await api.patch(`${RG}/services/prefixed`, { protocol: 'grpc' });
    expect(patched.status).toBe(400);
    expect(patched.body.fields?.path).toBe('value must be null');
    const cleared = await api.patch(`${RG}/services/prefixed`, { protocol: 'grpc', path: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ protocol: 'grpc', path: null });
  });
});

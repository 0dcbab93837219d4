import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEchoServer, type EchoReply } from './server';

function request(port: number, method: string, path: string, body?: string): Promise<{ status: number; json: EchoReply | null }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ port, method, path, headers: { 'x-test': 'yes' } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: data ? (JSON.parse(data) as EchoReply) : null }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('echo upstream', () => {
  const server = createEchoServer();
  let port = 0;
  beforeAll((done) => {
    server.listen(0, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port;
      done();
    });
  });
  afterAll((done) => {
    server.closeAllConnections();
    server.close(() => {
      done();
    });
  });

  it('echoes method, path, query, headers and body', async () => {
    const res = await request(port, 'POST', '/anything/here?a=1&b=2&b=3', 'hello');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ method: 'POST', path: '/anything/here', query: { a: '1', b: ['2', '3'] }, body: 'hello' });
    expect(res.json?.headers['x-test']).toBe('yes');
  });

  it('answers /status/{code} with that status', async () => {
    expect((await request(port, 'GET', '/status/503')).status).toBe(503);
    expect((await request(port, 'GET', '/status/201')).status).toBe(201);
  });
});

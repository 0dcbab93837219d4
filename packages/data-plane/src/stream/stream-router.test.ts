import { randomUUID } from 'node:crypto';
import { route as storedRoute, routeInput, type Route } from '@gatehouse/protocol';
import { StreamRouter, type StreamConnection } from './stream-router';

let clock = 1;
function route(input: Record<string, unknown>, service: string | null = null): Route {
  const r = routeInput.parse({ ...input, service: null });
  return storedRoute.parse({ ...r, id: randomUUID(), service: service === null ? null : { id: service }, created_at: clock, updated_at: clock++ });
}

const conn = (c: Partial<StreamConnection>): StreamConnection => ({
  accept: 'tcp',
  sourceIp: '10.1.2.3',
  sourcePort: 40000,
  destinationIp: '127.0.0.1',
  destinationPort: 7000,
  sni: null,
  ...c,
});

describe('stream router', () => {
  it('matches sources by client address and port, destinations by local address and port (IP, CIDR or port alone)', () => {
    const byPort = route({ name: 'by-port', protocols: ['tcp'], destinations: [{ port: 7000 }] });
    const other = route({ name: 'other-port', protocols: ['tcp'], destinations: [{ port: 7001 }] });
    const fromNet = route({ name: 'from-net', protocols: ['tcp'], sources: [{ ip: '192.168.0.0/16' }] });
    const r = new StreamRouter([byPort, other, fromNet]);
    expect(r.match(conn({}))?.route.name).toBe('by-port');
    expect(r.match(conn({ destinationPort: 7001 }))?.route.name).toBe('other-port');
    expect(r.match(conn({ destinationPort: 7002, sourceIp: '192.168.9.9' }))?.route.name).toBe('from-net');
    expect(r.match(conn({ destinationPort: 7002 }))).toBeNull();
    expect(r.match(conn({ destinationPort: 7002, sourceIp: '::ffff:192.168.1.1' }))?.route.name).toBe('from-net');
  });

  it("orders by Kong's stream priority: source and destination together, then exact IPs over ports over CIDR blocks", () => {
    const cidr = route({ name: 'cidr', protocols: ['tcp'], destinations: [{ ip: '127.0.0.0/8' }] });
    const port = route({ name: 'port', protocols: ['tcp'], destinations: [{ port: 7000 }] });
    const ip = route({ name: 'ip', protocols: ['tcp'], destinations: [{ ip: '127.0.0.1' }] });
    const both = route({ name: 'both', protocols: ['tcp'], sources: [{ ip: '10.0.0.0/8' }], destinations: [{ ip: '127.0.0.0/8' }] });
    expect(new StreamRouter([cidr, port, ip]).match(conn({}))?.route.name).toBe('ip');
    expect(new StreamRouter([cidr, port]).match(conn({}))?.route.name).toBe('port');
    expect(new StreamRouter([cidr, port, ip, both]).match(conn({}))?.route.name).toBe('both');
  });

  it('takes tcp routes on plain listeners and tls or tls_passthrough routes, by SNI, on ssl ones', () => {
    const tcp = route({ name: 'tcp', protocols: ['tcp'], destinations: [{ port: 7000 }] });
    const tls = route({ name: 'tls', protocols: ['tls'], snis: ['*.example.test'] });
    const pass = route({ name: 'pass', protocols: ['tls_passthrough'], snis: ['db.internal'] });
    const prefix = route({ name: 'prefix', protocols: ['tls'], snis: ['api.*'] });
    const r = new StreamRouter([tcp, tls, pass, prefix]);
    expect(r.match(conn({ sni: 'a.example.test' }))?.route.name).toBe('tcp');
    expect(r.match(conn({ accept: 'tls', sni: 'a.example.test' }))?.route.name).toBe('tls');
    expect(r.match(conn({ accept: 'tls', sni: 'DB.Internal.' }))?.route.name).toBe('pass');
    expect(r.match(conn({ accept: 'tls', sni: 'api.eu' }))?.route.name).toBe('prefix');
    expect(r.match(conn({ accept: 'tls', sni: 'example.test' }))).toBeNull();
    expect(r.match(conn({ accept: 'tls', sni: null }))).toBeNull();
  });

  it('leaves out HTTP routes and the routes of disabled services', () => {
    const http = route({ name: 'http', paths: ['/'] });
    const disabled = randomUUID();
    const off = route({ name: 'off', protocols: ['tcp'], destinations: [{ port: 7000 }] }, disabled);
    const r = new StreamRouter([http, off], new Set([disabled]));
    expect(r.entries).toHaveLength(0);
  });
});

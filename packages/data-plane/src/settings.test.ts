import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SettingsError } from '@gatehouse/protocol/node';
import { loadDpSettings, tlsListen } from './settings';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-settings-'));
const pem = path.join(dir, 'c.pem');
fs.writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const required = { GATEHOUSE_CLUSTER_CONTROL_PLANE: 'cp.example.com:8005', GATEHOUSE_CLUSTER_CERT: pem, GATEHOUSE_CLUSTER_CERT_KEY: pem };

function error(env: Record<string, string>): string {
  try {
    loadDpSettings([], env);
  } catch (err) {
    if (err instanceof SettingsError) return err.message;
    throw err;
  }
  return 'no error';
}

describe('data plane settings (docs/PROXY.md, Settings)', () => {
  it('fills the documented defaults', () => {
    const s = loadDpSettings([], required);
    expect(s.GATEHOUSE_PROXY_LISTEN).toEqual({ host: '0.0.0.0', port: 8000, http2: false });
    expect(s.GATEHOUSE_PROXY_TLS_LISTEN).toBeUndefined();
    expect(tlsListen(s)).toBeNull();
    expect(s.GATEHOUSE_STATUS_LISTEN).toEqual({ host: '127.0.0.1', port: 8100 });
    expect(s.GATEHOUSE_DP_DIR).toBe('./.gatehouse-dp');
    expect(s.GATEHOUSE_CLUSTER_CONTROL_PLANE).toEqual({ host: 'cp.example.com', port: 8005 });
    expect(s.GATEHOUSE_PROXY_TLS_CERT).toBeUndefined();
    expect(s.GATEHOUSE_HEADERS).toBe('server_tokens, gatehouse_latency_tokens, X-Gatehouse-Request-Id');
    expect(s.GATEHOUSE_HEADERS_UPSTREAM).toBe('X-Gatehouse-Request-Id');
  });

  it.each([
    [{ GATEHOUSE_CLUSTER_CONTROL_PLANE: '' }, 'GATEHOUSE_CLUSTER_CONTROL_PLANE: is required'],
    [{ GATEHOUSE_CLUSTER_CONTROL_PLANE: 'no-port' }, 'GATEHOUSE_CLUSTER_CONTROL_PLANE: expected host:port'],
    [{ GATEHOUSE_CLUSTER_CERT: path.join(dir, 'missing.pem') }, 'GATEHOUSE_CLUSTER_CERT: must be the path of a readable PEM file'],
    [{ GATEHOUSE_PROXY_LISTEN: '8000' }, 'GATEHOUSE_PROXY_LISTEN: expected host:port'],
    [{ GATEHOUSE_PROXY_LISTEN: '0.0.0.0:8000 http3' }, "GATEHOUSE_PROXY_LISTEN: unknown flag 'http3' (must be of form: [off] | <ip>:<port> [ssl] [http2]"],
    [{ GATEHOUSE_PROXY_LISTEN: '0.0.0.0:8000 ssl' }, 'GATEHOUSE_PROXY_LISTEN: the ssl flag belongs on GATEHOUSE_PROXY_TLS_LISTEN'],
    [{ GATEHOUSE_PROXY_TLS_LISTEN: '0.0.0.0:8443 proxy_protocol' }, 'GATEHOUSE_PROXY_TLS_LISTEN: the proxy_protocol flag is not supported'],
    [{ GATEHOUSE_PROXY_TLS_CERT: pem }, 'GATEHOUSE_PROXY_TLS_CERT_KEY: is required when GATEHOUSE_PROXY_TLS_CERT is set'],
    [{ GATEHOUSE_WORKERS: 'many' }, 'GATEHOUSE_WORKERS:'],
    [{ GATEHOUSE_HEADERS: 'server_tokens, X-Kong-Foo' }, "GATEHOUSE_HEADERS: invalid entry 'X-Kong-Foo'"],
    [{ GATEHOUSE_HEADERS_UPSTREAM: 'Via' }, "GATEHOUSE_HEADERS_UPSTREAM: invalid entry 'Via'"],
  ])('names the bad setting: %p', (override, message) => {
    const env: Record<string, string> = { ...required, ...override };
    for (const [k, v] of Object.entries(env)) if (v === '') delete env[k];
    expect(error(env)).toContain(message);
  });

  it("reads Kong's listen flags, and opens the TLS listener when asked or when a certificate is given", () => {
    const s = loadDpSettings([], {
      ...required,
      GATEHOUSE_PROXY_LISTEN: '127.0.0.1:9000 http2 reuseport backlog=16384',
      GATEHOUSE_PROXY_TLS_LISTEN: ' [::1]:9443 ssl http2 ipv6only=on ',
    });
    expect(s.GATEHOUSE_PROXY_LISTEN).toEqual({ host: '127.0.0.1', port: 9000, http2: true, backlog: 16384 });
    expect(tlsListen(s)).toEqual({ host: '::1', port: 9443, http2: true, ipv6Only: true });
    expect(tlsListen(loadDpSettings([], { ...required, GATEHOUSE_PROXY_TLS_LISTEN: '0.0.0.0:8443' }))).toEqual({ host: '0.0.0.0', port: 8443, http2: false });
    const withCert = { ...required, GATEHOUSE_PROXY_TLS_CERT: pem, GATEHOUSE_PROXY_TLS_CERT_KEY: pem };
    expect(tlsListen(loadDpSettings([], withCert))).toEqual({ host: '0.0.0.0', port: 8443, http2: true });
    expect(tlsListen(loadDpSettings([], { ...withCert, GATEHOUSE_PROXY_TLS_LISTEN: 'off' }))).toBeNull();
  });

  it('reads settings from --config FILE, the environment winning', () => {
    const file = path.join(dir, 'dp.env');
    fs.writeFileSync(
      file,
      `GATEHOUSE_CLUSTER_CONTROL_PLANE=cp:9005\nGATEHOUSE_CLUSTER_CERT=${pem}\nGATEHOUSE_CLUSTER_CERT_KEY=${pem}\nGATEHOUSE_PROXY_LISTEN=127.0.0.1:9000\n`,
    );
    const s = loadDpSettings(['node', 'main.js', '--config', file], { GATEHOUSE_PROXY_LISTEN: '127.0.0.1:9100' });
    expect(s.GATEHOUSE_CLUSTER_CONTROL_PLANE.port).toBe(9005);
    expect(s.GATEHOUSE_PROXY_LISTEN.port).toBe(9100);
  });
});

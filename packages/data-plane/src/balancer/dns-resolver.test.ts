import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DnsResolver, hostsFileAddresses, parseDnsServers } from './dns-resolver';

describe('GATEHOUSE_DNS_RESOLVER (Kong dns_resolver)', () => {
  it('takes host[:port] entries, IPv6 bracketed with a port', () => {
    expect(parseDnsServers('10.0.0.2, 127.0.0.1:5353,[::1]:53,::1')).toEqual(['10.0.0.2', '127.0.0.1:5353', '[::1]:53', '::1']);
  });
  it('refuses names, bad ports and an empty list, naming the entry', () => {
    expect(() => parseDnsServers('dns.example:53')).toThrow('"dns.example:53" is not an IP address with an optional port');
    expect(() => parseDnsServers('127.0.0.1:0')).toThrow('"127.0.0.1:0" has a port outside 1-65535');
    expect(() => parseDnsServers(' , ')).toThrow('names no server');
  });
});

describe('hosts file before DNS (Kong dns_hostsfile)', () => {
  const text = '# comment\n127.0.0.1 localhost app.local\n::1 localhost ip6-localhost\n10.1.2.3 App.Local # second\nnot-an-ip foo\n';

  it('answers every address of a name, IPv4 first, case-insensitively', () => {
    expect(hostsFileAddresses(text, 'app.local')).toEqual(['127.0.0.1', '10.1.2.3']);
    expect(hostsFileAddresses(text, 'localhost')).toEqual(['127.0.0.1', '::1']);
    expect(hostsFileAddresses(text, 'foo')).toEqual([]);
  });

  it('resolve answers from the file without asking a server (none listens on port 9)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-hosts-'));
    const file = path.join(dir, 'hosts');
    fs.writeFileSync(file, text);
    const resolver = new DnsResolver(['127.0.0.1:9'], file);
    await expect(resolver.resolve('APP.local')).resolves.toEqual({ addresses: ['127.0.0.1', '10.1.2.3'], ttl: 10 });
    await expect(resolver.resolve('missing.invalid')).rejects.toThrow();
    fs.rmSync(dir, { recursive: true });
  });
});

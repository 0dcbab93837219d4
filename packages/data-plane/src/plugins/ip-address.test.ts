import { cidrContains, parseCidr, parseIp } from './ip-address';

const inBlock = (block: string, ip: string): boolean => cidrContains(parseCidr(block)!, parseIp(ip)!);

describe('ip-address', () => {
  it('parses IPv4, IPv6 and IPv4-mapped IPv6 (as IPv4)', () => {
    expect(Array.from(parseIp('10.1.2.3')!)).toEqual([10, 1, 2, 3]);
    expect(parseIp('::1')!.length).toBe(16);
    expect(Array.from(parseIp('::ffff:127.0.0.1')!)).toEqual([127, 0, 0, 1]);
    expect(parseIp('2001:db8::8a2e:370:7334')![15]).toBe(0x34);
  });

  it('refuses malformed addresses and blocks', () => {
    for (const bad of ['256.1.1.1', '1.2.3', 'abc', '1::2::3', '1.2.3.4/33', '::/129', '10.0.0.0/x']) {
      expect(parseCidr(bad)).toBeNull();
    }
  });

  it('matches addresses against CIDR blocks', () => {
    expect(inBlock('10.0.0.0/8', '10.200.3.4')).toBe(true);
    expect(inBlock('10.0.0.0/8', '11.0.0.1')).toBe(false);
    expect(inBlock('192.168.1.0/25', '192.168.1.127')).toBe(true);
    expect(inBlock('192.168.1.0/25', '192.168.1.128')).toBe(false);
    expect(inBlock('127.0.0.1', '::ffff:127.0.0.1')).toBe(true);
    expect(inBlock('0.0.0.0/0', '8.8.8.8')).toBe(true);
    expect(inBlock('2001:db8::/32', '2001:db8:ffff::1')).toBe(true);
    expect(inBlock('2001:db8::/32', '2001:db9::1')).toBe(false);
    expect(inBlock('::/0', '10.0.0.1')).toBe(false);
  });
});

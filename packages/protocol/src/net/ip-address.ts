/**
 * IP addresses and CIDR blocks as bytes, in plain TypeScript (no node:net) so
 * schemas using them load in the browser too. IPv4-mapped IPv6 addresses
 * (`::ffff:10.0.0.1`, how Node reports IPv4 clients on a dual-stack socket)
 * are treated as the IPv4 address.
 */

/** Parses dotted-quad IPv4 into 4 bytes, or null. */
function parseV4(s: string): Uint8Array | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (const [i, p] of parts.entries()) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

/** Parses IPv6 (with `::` and an optional trailing IPv4) into 16 bytes, or null. */
function parseV6(input: string): Uint8Array | null {
  let s = input;
  const zone = s.indexOf('%');
  if (zone !== -1) s = s.slice(0, zone);
  let tail: Uint8Array | null = null;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    tail = parseV4(s.slice(lastColon + 1));
    if (tail === null) return null;
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const toGroups = (h: string): number[] | null => {
    if (h === '') return [];
    const groups: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      groups.push(parseInt(g, 16));
    }
    return groups;
  };
  const [before = '', after] = halves;
  const head = toGroups(before);
  const rest = after === undefined ? [] : toGroups(after);
  if (head === null || rest === null) return null;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...rest];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  if (tail) out.set(tail, 12);
  return out;
}

/** Parses an IPv4 or IPv6 address into 4 or 16 bytes (IPv4-mapped IPv6 gives 4), or null. */
export function parseIp(s: string): Uint8Array | null {
  if (s.includes(':')) {
    const v6 = parseV6(s);
    if (v6 === null) return null;
    const mapped = v6.subarray(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
    return mapped ? v6.slice(12) : v6;
  }
  return parseV4(s);
}

/** A parsed CIDR block (a single address is a block of full length). */
export interface Cidr {
  bytes: Uint8Array;
  bits: number;
}

/** Parses `10.0.0.0/8`, `2001:db8::/32` or a single address; null when invalid. */
export function parseCidr(s: string): Cidr | null {
  const slash = s.indexOf('/');
  const bytes = parseIp(slash === -1 ? s : s.slice(0, slash));
  if (bytes === null) return null;
  const max = bytes.length * 8;
  if (slash === -1) return { bytes, bits: max };
  const bitsText = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return null;
  let bits = Number(bitsText);
  // An IPv4-mapped IPv6 block counts its bits over 128; the address is kept as IPv4.
  if (bytes.length === 4 && s.slice(0, slash).includes(':')) bits -= 96;
  if (bits < 0 || bits > max) return null;
  return { bytes, bits };
}

/** Whether an address (from parseIp) lies in the block. */
export function cidrContains(block: Cidr, ip: Uint8Array): boolean {
  if (block.bytes.length !== ip.length) return false;
  let bits = block.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((block.bytes[i] ?? 0) & mask) !== ((ip[i] ?? 0) & mask)) return false;
  }
  return true;
}

import { isIPv4, isIPv6 } from 'node:net';

/** An IP address as raw bytes: 4 for IPv4, 16 for IPv6. */
export interface IpAddr {
  family: 4 | 6;
  bytes: Uint8Array;
}

/** A CIDR prefix: an address and the number of leading bits that count. */
export interface IpPrefix {
  addr: IpAddr;
  bits: number;
}

function parseIPv4Bytes(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map(Number));
}

function parseIPv6Bytes(text: string): Uint8Array {
  let head = text;
  if (head.includes('.')) {
    const lastColon = head.lastIndexOf(':');
    const [a = 0, b = 0, c = 0, d = 0] = parseIPv4Bytes(head.slice(lastColon + 1));
    head = `${head.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [left = '', right] = head.split('::');
  const leftGroups = left ? left.split(':') : [];
  const rightGroups = right ? right.split(':') : [];
  const zeros = right === undefined ? 0 : 8 - leftGroups.length - rightGroups.length;
  const groups = [...leftGroups, ...Array<string>(zeros).fill('0'), ...rightGroups].map((g) => parseInt(g, 16));
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}

/** Parses a textual IPv4 or IPv6 address (no zone); undefined when it is not one. */
export function parseIp(text: string): IpAddr | undefined {
  if (isIPv4(text)) return { family: 4, bytes: parseIPv4Bytes(text) };
  if (isIPv6(text) && !text.includes('%')) return { family: 6, bytes: parseIPv6Bytes(text) };
  return undefined;
}

/** Builds an address from 4 or 16 raw bytes; IPv4-mapped IPv6 becomes IPv4 when `unmap` is set. */
export function ipFromBytes(raw: Uint8Array, unmap = false): IpAddr | undefined {
  if (raw.length === 4) return { family: 4, bytes: Uint8Array.from(raw) };
  if (raw.length !== 16) return undefined;
  const mapped = raw.slice(0, 10).every((b) => b === 0) && raw[10] === 0xff && raw[11] === 0xff;
  if (unmap && mapped) return { family: 4, bytes: Uint8Array.from(raw.slice(12)) };
  return { family: 6, bytes: Uint8Array.from(raw) };
}

/** Formats an address: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run compressed). */
export function formatIp(addr: IpAddr): string {
  const b = addr.bytes;
  if (addr.family === 4) return Array.from(b).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** The address as an unsigned integer (for ordering and range arithmetic). */
export function ipToBigInt(addr: IpAddr): bigint {
  let n = 0n;
  for (const byte of addr.bytes) n = (n << 8n) | BigInt(byte);
  return n;
}

/** The inverse of ipToBigInt. */
export function ipFromBigInt(family: 4 | 6, n: bigint): IpAddr {
  const bytes = new Uint8Array(family === 4 ? 4 : 16);
  for (let i = bytes.length - 1; i >= 0; i -= 1) {
    bytes[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return { family, bytes };
}

/** Orders IPv4 before IPv6, then numerically. */
export function compareIp(a: IpAddr, b: IpAddr): number {
  if (a.family !== b.family) return a.family - b.family;
  for (let i = 0; i < a.bytes.length; i += 1) {
    const d = (a.bytes[i] ?? 0) - (b.bytes[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Parses "ip/bits" or a bare IP (a /32 or /128); undefined when malformed. Host bits are cleared. */
export function parsePrefix(text: string): IpPrefix | undefined {
  const slash = text.indexOf('/');
  const addr = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!addr) return undefined;
  const max = addr.family === 4 ? 32 : 128;
  if (slash < 0) return { addr, bits: max };
  const bitsText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  if (bits > max) return undefined;
  return { addr: maskAddr(addr, bits), bits };
}

/** Keeps the first `bits` bits of an address and zeroes the rest. */
export function maskAddr(addr: IpAddr, bits: number): IpAddr {
  const bytes = Uint8Array.from(addr.bytes);
  for (let i = 0; i < bytes.length; i += 1) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    bytes[i] = (bytes[i] ?? 0) & ((0xff << (8 - keep)) & 0xff);
  }
  return { family: addr.family, bytes };
}

export function formatPrefix(prefix: IpPrefix): string {
  return `${formatIp(prefix.addr)}/${prefix.bits}`;
}

/** Whether `addr` lies inside `prefix`. */
export function prefixContains(prefix: IpPrefix, addr: IpAddr): boolean {
  if (prefix.addr.family !== addr.family) return false;
  return compareIp(maskAddr(addr, prefix.bits), prefix.addr) === 0;
}

/** Link-local: 169.254.0.0/16 or fe80::/10. */
export function isLinkLocal(addr: IpAddr): boolean {
  const [b0 = 0, b1 = 0] = addr.bytes;
  return addr.family === 4 ? b0 === 169 && b1 === 254 : b0 === 0xfe && (b1 & 0xc0) === 0x80;
}

/** Loopback: 127.0.0.0/8 or ::1. */
export function isLoopback(addr: IpAddr): boolean {
  if (addr.family === 4) return addr.bytes[0] === 127;
  return addr.bytes.slice(0, 15).every((b) => b === 0) && addr.bytes[15] === 1;
}

/** An "ip:port" endpoint (IPv6 as "[ip]:port"). */
export interface IpEndpoint {
  addr: IpAddr;
  port: number;
}

/** Parses "a.b.c.d:port" or "[v6]:port"; undefined when malformed. */
export function parseEndpoint(text: string): IpEndpoint | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  if (!match) return undefined;
  const addr = parseIp(match[1] ?? match[2] ?? '');
  const port = Number(match[3]);
  if (!addr || (match[2] !== undefined && addr.family === 6) || port < 1 || port > 65535) return undefined;
  return { addr, port };
}

export function formatEndpoint(endpoint: IpEndpoint): string {
  const ip = formatIp(endpoint.addr);
  return endpoint.addr.family === 6 ? `[${ip}]:${endpoint.port}` : `${ip}:${endpoint.port}`;
}

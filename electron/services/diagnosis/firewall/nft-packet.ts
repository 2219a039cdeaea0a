import type { NftExpr } from './nft-schema.js';

/** The packet judged: the first packet of a new flow to one port, on a non-loopback link. */
export interface NftPacket {
  /** inbound: from an outside address to this host (hooks ingress, prerouting, input); outbound: from this host (output, postrouting); forward: through this host, after its NAT (hook forward). */
  direction: 'inbound' | 'outbound' | 'forward';
  family: 'ipv4' | 'ipv6';
  protocol: 'tcp' | 'udp';
  port: number;
  /** The link it crosses, when known; otherwise some link other than loopback. */
  iface: string | null;
  /** Some rule sets a packet or conntrack mark, so marks are not known to be 0. */
  marksChange: boolean;
}

/** What an expression evaluates to for the packet. */
export type NftValue =
  | { kind: 'value'; value: string | number | NftValue[] }
  /** The expression does not apply to this packet (tcp dport on UDP, ip saddr on IPv6): every match on it fails. */
  | { kind: 'absent' }
  /** A link other than loopback, name unknown (the link a packet does not cross has the empty name). */
  | { kind: 'iface' }
  /** An address that is not a loopback address, otherwise unknown. */
  | { kind: 'address' }
  | { kind: 'unknown' };

const value = (v: string | number): NftValue => ({ kind: 'value', value: v });
const absent: NftValue = { kind: 'absent' };
const unknown: NftValue = { kind: 'unknown' };
const OTHER_L4 = new Set(['icmp', 'icmpv6', 'sctp', 'dccp', 'udplite', 'esp', 'ah', 'comp', 'igmp', 'gre']);

/** A plain object with exactly one key, as nft writes expressions; null otherwise. */
export function single(e: NftExpr): [string, unknown] | null {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return null;
  const entries = Object.entries(e);
  return entries.length === 1 ? (entries[0] as [string, unknown]) : null;
}

const field = (o: unknown, key: string): unknown => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[key] : undefined);

function meta(key: unknown, p: NftPacket): NftValue {
  const link = p.iface === null ? ({ kind: 'iface' } as const) : value(p.iface);
  switch (key) {
    case 'l4proto':
      return value(p.protocol);
    case 'nfproto':
      return value(p.family);
    case 'protocol':
      return value(p.family === 'ipv4' ? 'ip' : 'ip6');
    case 'iif':
    case 'iifname':
      return p.direction === 'outbound' ? value('') : link;
    case 'oif':
    case 'oifname':
      return p.direction === 'outbound' ? link : p.direction === 'forward' ? { kind: 'iface' } : value('');
    case 'mark':
      return p.direction !== 'outbound' && !p.marksChange ? value(0) : unknown;
    case 'pkttype':
      return value('host');
    default:
      return unknown;
  }
}

function ct(key: unknown, p: NftPacket): NftValue {
  if (key === 'state') return value('new');
  if (key === 'status') return { kind: 'value', value: [] };
  if (key === 'direction') return value('original');
  if (key === 'mark') return p.marksChange ? unknown : value(0);
  return unknown;
}

function payload(protocol: unknown, name: unknown, p: NftPacket): NftValue {
  if (protocol === 'udp' || protocol === 'tcp' || protocol === 'th') {
    if (protocol !== 'th' && protocol !== p.protocol) return absent;
    return name === 'dport' ? value(p.port) : unknown;
  }
  if (protocol === 'ip' || protocol === 'ip6') {
    if ((protocol === 'ip') !== (p.family === 'ipv4')) return absent;
    if (name === 'protocol' || name === 'nexthdr') return value(p.protocol);
    return name === 'saddr' || name === 'daddr' ? { kind: 'address' } : unknown;
  }
  return typeof protocol === 'string' && OTHER_L4.has(protocol) ? absent : unknown;
}

function binary(op: string, args: unknown, p: NftPacket): NftValue {
  if (!Array.isArray(args) || args.length !== 2) return unknown;
  const [a, b] = args.map((x) => evaluate(x, p));
  if (a?.kind === 'absent' || b?.kind === 'absent') return absent;
  if (a?.kind !== 'value' || b?.kind !== 'value' || typeof a.value !== 'number' || typeof b.value !== 'number') return unknown;
  if (op === '&') return value(a.value & b.value);
  if (op === '|') return value(a.value | b.value);
  return op === '^' ? value(a.value ^ b.value) : unknown;
}

/** Evaluates the left side of a match (or a map key) for the packet; literals evaluate to themselves. */
export function evaluate(e: NftExpr, p: NftPacket): NftValue {
  if (typeof e === 'number' || typeof e === 'string') return value(e);
  const s = single(e);
  if (!s) return unknown;
  const [kind, body] = s;
  if (kind === 'meta') return meta(field(body, 'key'), p);
  if (kind === 'ct') return field(body, 'dir') === undefined ? ct(field(body, 'key'), p) : unknown;
  if (kind === 'payload') return payload(field(body, 'protocol'), field(body, 'field'), p);
  if (kind === '&' || kind === '|' || kind === '^') return binary(kind, body, p);
  if (kind === 'fib') {
    const flags = field(body, 'flags');
    const daddrOnly = Array.isArray(flags) && flags.length === 1 && flags[0] === 'daddr';
    return field(body, 'result') === 'type' && daddrOnly && p.direction === 'inbound' ? value('local') : unknown;
  }
  if (kind === 'concat' && Array.isArray(body)) {
    const parts = body.map((x) => evaluate(x, p));
    if (parts.some((x) => x.kind === 'absent')) return absent;
    return parts.some((x) => x.kind === 'unknown') ? unknown : { kind: 'value', value: parts };
  }
  return unknown;
}

import { parseIp, parsePrefix, prefixContains } from '../../../../agent/shared/ip.js';
import type { IpSet } from './ipt-ipset.js';

/** A new packet to judge: inbound from a peer to this host, or outbound from this host to a peer. */
export interface Packet {
  protocol: 'tcp' | 'udp';
  port: number;
  direction: 'inbound' | 'outbound';
  family: 'ipv4' | 'ipv6';
  /** The link it crosses; null when not known (then it is some link other than loopback or a container bridge). */
  iface: string | null;
  /** This host's addresses on that link (of the packet's family); null when not known. */
  hostAddrs: string[] | null;
  /** The host's ipsets, when `ipset save` was read. */
  sets?: Map<string, IpSet>;
}

/** What earlier rules did to the packet: its mark and connection mark (null once a rule set them), its conntrack state. */
export interface PacketState {
  mark: number | null;
  connmark: number | null;
  ct: 'NEW' | 'UNTRACKED';
}

/** A match's answer: it matches, it does not, or it cannot be told (the text says why). */
export type Tri = boolean | string;

/** Links a peer's packet never crosses: loopback, and the bridges and veths of containers and CNIs. */
const VIRTUAL = /^(lo|docker\d*|br-[0-9a-f]+|veth.*|cni\d*|cali.*|flannel.*|cilium_.*|lxc.*|kube-bridge|kube-ipvs0|virbr\d*|tunl\d*|vxlan\.calico|weave)$/;

/** Whether the packet's link matches an iptables interface name (`+` ends a prefix). */
export function ifaceMatch(name: string, p: Packet): Tri {
  const prefix = name.endsWith('+') ? name.slice(0, -1) : null;
  const hit = (link: string) => (prefix !== null ? link.startsWith(prefix) : link === name);
  if (p.iface) return hit(p.iface);
  if (name === 'lo' || (prefix === null && VIRTUAL.test(name)) || (prefix !== null && prefix.length > 1 && VIRTUAL.test(`${prefix}0`))) return false;
  return `whether the packet crosses ${name}`;
}

const ANY = new Set(['0.0.0.0/0', '::/0', '0/0', '::0/0']);
/** Loopback, multicast and broadcast: never a peer's unicast address nor this host's address on the underlay. */
const SPECIAL = /^(127\.|22[4-9]\.|23\d\.|255\.255\.255\.255|::1(\/128)?$|ff[0-9a-f]{2}:)/i;

/**
 * Whether an address match holds. `peer` is the far end (the packet is from
 * or to any outside address, so a limited range does not match); `host` is
 * this host's own address, which the report does not carry.
 */
export function addressMatch(value: string, role: 'peer' | 'host', p: Packet): Tri {
  const items = value.split(',');
  if (items.some((a) => ANY.has(a))) return true;
  if (items.every((a) => SPECIAL.test(a))) return false;
  if (role === 'peer') return false;
  if (p.hostAddrs && p.hostAddrs.length > 0) {
    const ranges = items.map(parsePrefix);
    const hits = p.hostAddrs.filter((a) => {
      const ip = parseIp(a);
      return !!ip && ranges.some((r) => !!r && prefixContains(r, ip));
    }).length;
    if (hits === 0) return false;
    if (hits === p.hostAddrs.length) return true;
  }
  return `only for this host's address ${value} (${p.family})`;
}

/** The link of the family's default route in `ip route show default` output. */
export function defaultLink(links: string | undefined, family: Packet['family']): string | null {
  for (const line of (links ?? '').split('\n').slice(0, 16)) {
    const m = /^default\b.*\bdev ([A-Za-z0-9_.@:-]{1,32})\b/.exec(line.trim());
    const via = /\bvia (\S+)/.exec(line)?.[1] ?? '';
    if (m && (family === 'ipv6') === via.includes(':')) return m[1] as string;
  }
  return null;
}

/** Addresses of one link and family in `ip -o addr show` output. */
export function linkAddresses(addrs: string | undefined, link: string | null, family: Packet['family']): string[] | null {
  if (!link || addrs === undefined) return null;
  const out: string[] = [];
  for (const line of addrs.split('\n').slice(0, 128)) {
    const m = /^\d+:\s+(\S+?)(?:@\S+)?\s+(inet6?)\s+([0-9a-fA-F.:]+)\//.exec(line.trim());
    if (m && m[1] === link && (m[2] === 'inet6') === (family === 'ipv6')) out.push(m[3] as string);
  }
  return out.length > 0 ? out : null;
}

import { ipFromBytes, parseIp, parsePrefix, prefixContains, type IpAddr, type IpPrefix } from '../shared/ip.js';

/**
 * Addresses a probe may never go to, whoever asks: the host itself, its link, the cloud's
 * metadata service, groups. Diagnosis probes other machines' unicast addresses only; these
 * would turn the agent into a way in to the host's own services or the cloud's credentials.
 */
const REFUSED: ReadonlyArray<{ prefix: IpPrefix; reason: string }> = [
  // Metadata first: they sit inside ranges below and deserve their own name.
  ['169.254.169.254/32', 'a cloud metadata service'],
  ['fd00:ec2::254/128', 'a cloud metadata service'],
  ['100.100.100.200/32', 'a cloud metadata service'],
  ['168.63.129.16/32', 'a cloud host service'],
  ['0.0.0.0/8', 'an unspecified address'],
  ['127.0.0.0/8', 'a loopback address'],
  ['169.254.0.0/16', 'a link-local address'],
  ['224.0.0.0/4', 'a multicast address'],
  ['240.0.0.0/4', 'a reserved or broadcast address'],
  ['::/128', 'an unspecified address'],
  ['::1/128', 'a loopback address'],
  ['fe80::/10', 'a link-local address'],
  ['ff00::/8', 'a multicast address'],
].map(([cidr, reason]) => ({ prefix: parsePrefix(cidr as string) as IpPrefix, reason: reason as string }));

/** The address as IPv4 when it is IPv4-mapped IPv6 (::ffff:a.b.c.d), which reaches the same host. */
function unmapped(addr: IpAddr): IpAddr {
  return addr.family === 6 ? (ipFromBytes(addr.bytes, true) ?? addr) : addr;
}

/** Why a probe may not go to `ip` (an address literal), or undefined when it may. */
export function probeTargetRefusal(ip: string): string | undefined {
  const parsed = parseIp(ip);
  if (!parsed) return 'not an IP address';
  const addr = unmapped(parsed);
  return REFUSED.find((r) => prefixContains(r.prefix, addr))?.reason;
}

import { parseEndpoint, parseIp, formatIp } from '../../../agent/shared/ip.js';
import type { NatObservation, NodeEvidence } from './evidence.js';

/**
 * How a node's outbound UDP is translated:
 * - none: the reflected address is one of its own;
 * - port-preserving: every observer saw the source port unchanged (hole punching can work);
 * - port-changing: one consistent mapping to another port (KubeSpan dials :51820, so peers cannot reach it);
 * - random: observers saw different ports (a port-randomising, symmetric NAT; hole punching fails);
 * - unknown: no observation.
 */
export type NatKind = 'none' | 'port-preserving' | 'port-changing' | 'random' | 'unknown';

/** The NAT verdict for one node, with the public IP it appears as. */
export interface NatClass {
  kind: NatKind;
  behindNat: boolean | null;
  publicIp: string | null;
  /** Sentences that say what was seen. */
  evidence: string[];
}

const ownIps = (node: NodeEvidence): Set<string> =>
  new Set(
    node.addresses
      .map((cidr) => parseIp(cidr.split('/')[0] as string))
      .filter((ip) => ip !== undefined)
      .map((ip) => formatIp(ip)),
  );

/** Classifies a node's NAT from the reflected addresses seen by (ideally two) observers. */
export function classifyNat(node: NodeEvidence): NatClass {
  const own = ownIps(node);
  const seen = node.nat
    .map((o) => ({ o, ep: parseEndpoint(o.observed) }))
    .filter((x): x is { o: NatObservation; ep: NonNullable<ReturnType<typeof parseEndpoint>> } => x.ep !== undefined);
  const reflected = node.reflectedIp ? parseIp(node.reflectedIp) : undefined;
  const ips = new Set(seen.map((s) => formatIp(s.ep.addr)));
  if (reflected) ips.add(formatIp(reflected));
  if (ips.size === 0) return { kind: 'unknown', behindNat: null, publicIp: null, evidence: [] };
  const foreign = [...ips].filter((ip) => !own.has(ip));
  const evidence: string[] = [];
  if (reflected) evidence.push(`the discovery service sees ${node.name} as ${formatIp(reflected)}`);
  for (const { o } of seen)
    evidence.push(
      `${o.observer} saw ${o.observed} for a datagram ${node.name} sent from port ${o.sourcePort}${o.via === 'wireguard' ? ' (the endpoint its WireGuard learned)' : ''}`,
    );
  if (foreign.length === 0) return { kind: 'none', behindNat: false, publicIp: [...ips][0] ?? null, evidence };
  evidence.push(`${foreign.join(', ')} is not one of ${node.name}'s own addresses (${node.addresses.join(', ') || 'none'})`);
  const publicIp = foreign[0] ?? null;
  if (seen.length === 0) return { kind: 'unknown', behindNat: true, publicIp, evidence };
  const ports = new Set(seen.map((s) => s.ep.port));
  const preserved = seen.every((s) => s.ep.port === s.o.sourcePort);
  const kind: NatKind = preserved ? 'port-preserving' : ports.size > 1 ? 'random' : 'port-changing';
  return { kind, behindNat: true, publicIp, evidence };
}

/** Whether two ends could still meet by UDP hole punching (both stateful and port-preserving or not translated). */
export function canHolePunch(a: NatClass, b: NatClass): boolean {
  const ok = (n: NatClass) => n.kind === 'none' || n.kind === 'port-preserving' || n.kind === 'unknown';
  return ok(a) && ok(b);
}

/** A phrase naming the NAT, e.g. "a port-randomising NAT (seen as 198.18.2.1:40211 and 198.18.2.1:51133)". */
export function describeNat(node: NodeEvidence, nat: NatClass): string {
  const seen = [...new Set(node.nat.map((o) => o.observed))].join(' and ');
  const at = seen ? ` (seen as ${seen})` : nat.publicIp ? ` (public address ${nat.publicIp})` : '';
  switch (nat.kind) {
    case 'random':
      return `a port-randomising NAT${at}`;
    case 'port-changing':
      return `a NAT that rewrites the source port${at}`;
    case 'port-preserving':
      return `a port-preserving NAT${at}`;
    case 'none':
      return 'no NAT';
    default:
      return `a NAT${at}`;
  }
}

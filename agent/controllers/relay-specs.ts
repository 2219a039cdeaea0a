import type { PeerSpec } from '../../proto/gen/spanwise/agent/v1/agent.js';
import type { AgentConfig } from '../config/schema.js';
import type { AffiliateInfo } from '../shared/affiliate-crypto.js';
import { parsePrefix, type IpPrefix } from '../shared/ip.js';
import { IpSet } from '../lib/ipset.js';
import { HealthCode, type HealthReport } from '../resources/health.js';

/** A relay of the config, as the agent reads it. */
export type Relay = AgentConfig['relays'][number];

/** A built peer spec with what relaying needs to know of its member. */
export interface RelayCandidate {
  spec: PeerSpec;
  /** Whether the member runs Spanwise (Talos KubeSpan drops packets for addresses it did not route itself). */
  spanwise: boolean;
}

/** Whether a published operating system names a Spanwise agent (`Linux (Spanwise v0.1.0)`). */
export const isSpanwiseOs = (os: string): boolean => /\(Spanwise v[^)]*\)$/.test(os);

/** The name a member goes by in peer labels and relays: its node name, else its host name, else its affiliate id. */
export const memberLabel = (id: string, info: Pick<AffiliateInfo, 'nodename' | 'hostname'>): string => info.nodename || info.hostname || id;

const toSet = (cidrs: readonly string[]) => IpSet.of(cidrs.map((c) => parsePrefix(c)).filter((p): p is IpPrefix => p !== undefined));

function refused(relay: Relay, text: string, evidence: Record<string, string>): HealthReport {
  return {
    code: HealthCode.relayRefused,
    subject: `${relay.between.join(',')}`,
    severity: 'warning',
    text: `relay of ${relay.between.join(' and ')} through ${relay.via} not used: ${text}`,
    evidence: { between: relay.between.join(','), via: relay.via, ...evidence },
  };
}

/**
 * Applies the relays that have this node as one end: the other end's addresses move into the
 * relay's allowed IPs (an address belongs to one WireGuard peer only), and the other end's spec
 * keeps no allowed IPs and gets `viaPublicKey`; its endpoints go too, so it is not dialled, unless
 * `keepEndpoints` (automatic mode: it stays in WireGuard, so a direct handshake can show the path is
 * back). A relay with a missing or non-Spanwise member is not used, with a warning.
 */
export function applyRelays(
  candidates: readonly RelayCandidate[],
  relays: readonly Relay[],
  ownName: string,
  keepEndpoints = false,
): { specs: PeerSpec[]; refusals: HealthReport[] } {
  const byLabel = new Map(candidates.map((c) => [c.spec.label, c]));
  const specs = new Map(candidates.map((c) => [c.spec.publicKey, { ...c.spec }]));
  const refusals: HealthReport[] = [];
  for (const relay of relays) {
    if (!relay.between.includes(ownName)) continue;
    const otherName = relay.between[0] === ownName ? relay.between[1] : relay.between[0];
    const other = byLabel.get(otherName);
    const via = byLabel.get(relay.via);
    const missing = [otherName, relay.via].filter((n) => !byLabel.has(n));
    if (!other || !via) {
      refusals.push(refused(relay, `${missing.join(' and ')} not in the mesh`, { missing: missing.join(',') }));
      continue;
    }
    const talos = [other, via].filter((c) => !c.spanwise).map((c) => c.spec.label);
    if (talos.length) {
      refusals.push(refused(relay, `${talos.join(' and ')} not Spanwise-managed (Talos KubeSpan drops relayed packets)`, { notManaged: talos.join(',') }));
      continue;
    }
    const relaySpec = specs.get(via.spec.publicKey) as PeerSpec;
    const otherSpec = specs.get(other.spec.publicKey) as PeerSpec;
    relaySpec.allowedIps = toSet(relaySpec.allowedIps).union(toSet(otherSpec.allowedIps)).toStrings();
    specs.set(otherSpec.publicKey, { ...otherSpec, allowedIps: [], endpoints: keepEndpoints ? otherSpec.endpoints : [], viaPublicKey: relaySpec.publicKey });
  }
  return { specs: [...specs.values()], refusals };
}

/** On the relay node: the pairs it forwards, each end as its allowed IPs. */
export function forwardedPairs(specs: readonly PeerSpec[], relays: readonly Relay[], ownName: string): [string[], string[]][] {
  const byLabel = new Map(specs.map((s) => [s.label, s]));
  return relays.flatMap((r) => {
    const [a, b] = r.between.map((n) => byLabel.get(n));
    return r.via === ownName && a && b && !a.viaPublicKey && !b.viaPublicKey ? [[a.allowedIps, b.allowedIps] as [string[], string[]]] : [];
  });
}

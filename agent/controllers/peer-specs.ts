import type { PeerSpec } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { formatPrefix, parsePrefix, type IpPrefix } from '../shared/ip.js';
import { IpSet } from '../lib/ipset.js';
import { isWireGuardKey } from '../shared/wireguard-keys.js';
import { HealthCode, reportHealth, type HealthReport } from '../resources/health.js';
import { DiscoveredAffiliateKind, HealthKind, IdentityKind, PeerSpecKind, type DiscoveredAffiliate, RelayPlanKind } from '../resources/kinds.js';
import { exclusive, shared } from './access.js';
import { applyRelays, isSpanwiseOs, memberLabel, type Relay } from './relay-specs.js';
import type { Controller } from './runtime.js';

const prefixes = (texts: readonly string[], hostOnly = false): IpPrefix[] =>
  texts.map((t) => parsePrefix(hostOnly ? (t.split('/')[0] ?? '') : t)).filter((p): p is IpPrefix => p !== undefined);

/** The peer specs, the overlaps found while building them, and the relays that could not be used. */
export interface PeerSpecResult {
  specs: PeerSpec[];
  overlaps: HealthReport[];
  refusals: HealthReport[];
}

/** This node's place in the relays: its own name (as its affiliate publishes it) and the relays in force. */
export interface RelayInputs {
  ownName: string;
  relays: readonly Relay[];
  /** Relayed peers keep their endpoints (automatic mode, see applyRelays). */
  keepEndpoints?: boolean;
}

/**
 * Turns discovered affiliates into peer specs. Allowed IPs: node addresses (/32, /128) + additional
 * prefixes - excluded prefixes + the ULA /128. Peers are taken in affiliate-id order; a range
 * already given to an earlier peer is removed from later ones, with a warning. Then the relays with
 * this node as an end move the other end's addresses to the relay (see applyRelays).
 */
export function buildPeerSpecs(
  affiliates: ReadonlyArray<{ id: string; spec: DiscoveredAffiliate }>,
  ownPublicKey: string,
  relay: RelayInputs = { ownName: '', relays: [] },
): PeerSpecResult {
  const sorted = [...affiliates].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let taken = IpSet.empty;
  const specs: { spec: PeerSpec; spanwise: boolean }[] = [];
  const overlaps: HealthReport[] = [];
  const owners: { label: string; set: IpSet }[] = [];
  const keys = new Set<string>();
  for (const { id, spec } of sorted) {
    const ks = spec.info.kubespan;
    if (!ks || !isWireGuardKey(ks.publicKey) || ks.publicKey === ownPublicKey || keys.has(ks.publicKey)) continue;
    keys.add(ks.publicKey);
    const label = memberLabel(id, spec.info);
    let allowed = IpSet.of([...prefixes(spec.info.addresses, true), ...prefixes(ks.additionalAddresses)]).subtract(
      IpSet.of(prefixes(ks.excludeAdvertisedAddresses)),
    );
    const ula = ks.address ? parsePrefix(ks.address.split('/')[0] ?? '') : undefined;
    if (ula) allowed = allowed.union(IpSet.of([ula]));
    const clash = allowed.intersect(taken);
    if (!clash.isEmpty()) {
      const others = owners.filter((o) => !o.set.intersect(clash).isEmpty()).map((o) => o.label);
      overlaps.push({
        code: HealthCode.peerOverlap,
        subject: ks.publicKey,
        severity: 'warning',
        text: `peer ${label} announces ${clash.toStrings().join(', ')}, already routed to ${others.join(', ')}; dropped from ${label}`,
        evidence: { peer: label, publicKey: ks.publicKey, overlap: clash.toStrings().join(','), keptBy: others.join(',') },
      });
      allowed = allowed.subtract(taken);
    }
    taken = taken.union(allowed);
    owners.push({ label, set: allowed });
    specs.push({
      spec: {
        publicKey: ks.publicKey,
        label,
        nodeId: spec.info.nodeId || id,
        address: ula ? (formatPrefix(ula).split('/')[0] ?? '') : '',
        allowedIps: allowed.toStrings(),
        endpoints: [...spec.endpoints],
      },
      spanwise: isSpanwiseOs(spec.info.operatingSystem),
    });
  }
  const relayed = applyRelays(specs, relay.relays, relay.ownName, relay.keepEndpoints);
  return { specs: relayed.specs, overlaps, refusals: relayed.refusals };
}

/**
 * Keeps PeerSpec resources (by public key) equal to the discovered members, minus this node, with
 * the relays of RelayPlan "cluster" (none until this node has its identity and a plan).
 */
export function peerSpecsController(): Controller {
  return {
    name: 'peer-specs',
    inputs: [DiscoveredAffiliateKind, IdentityKind, RelayPlanKind],
    outputs: [exclusive(PeerSpecKind), shared(HealthKind)],
    run({ store, clock }) {
      const identity = store.get(IdentityKind, 'local')?.spec;
      const plan = store.get(RelayPlanKind, 'cluster')?.spec;
      if (!identity || !plan) return;
      const { specs, overlaps, refusals } = buildPeerSpecs(store.list(DiscoveredAffiliateKind), identity.publicKey, {
        ownName: identity.hostname,
        relays: plan.relays,
        keepEndpoints: plan.auto,
      });
      store.replaceAll(
        PeerSpecKind,
        specs.map((s) => [s.publicKey, s]),
      );
      reportHealth(store, [HealthCode.peerOverlap], overlaps, clock.now());
      reportHealth(store, [HealthCode.relayRefused], refusals, clock.now());
    },
  };
}

import { relayKeyPrefix, type SpanwiseInfo } from '../shared/affiliate-crypto.js';
import type { Relay } from './relay-specs.js';

/** A mesh member as automatic relaying sees it: what every member reads from its affiliate. */
export interface RelayMember {
  /** Its name, as peer specs label it (nodename, else hostname, else affiliate id). */
  label: string;
  nodeId: string;
  publicKey: string;
  /** Runs Spanwise (Talos KubeSpan drops relayed packets). */
  spanwise: boolean;
  /** Its relay extension; absent for Talos members, manual mode, or an extension out of bounds. */
  relay?: SpanwiseInfo;
}

const SITE_RANK: Record<SpanwiseInfo['site'], number> = { cloud: 0, datacenter: 1, edge: 2, '': 3 };

const pairKey = (a: string, b: string) => [a, b].sort().join(',');

const byNodeId = (a: RelayMember, b: RelayMember) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : a.publicKey < b.publicKey ? -1 : 1);

/**
 * The automatic relays, computed alike on every member from the same affiliates: a pair A-B where
 * one reports the other unreachable is relayed through R, a member in automatic mode that neither
 * reports unreachable and that reports neither unreachable; one no member reports unreachable first
 * (a relay that stopped is seen by each of its peers alone while discovery, perhaps on that very
 * node, cannot pass the reports on), then cloud, then datacenter, then the lowest node id. Both ends must be Spanwise members in automatic mode (a pair with a Talos member
 * is never relayed), and a pair with a relay in `manual` keeps that one.
 */
export function chooseAutoRelays(members: readonly RelayMember[], manual: readonly Relay[]): Relay[] {
  const offering = members.filter((m) => m.spanwise && m.relay?.relayOffer).sort(byNodeId);
  const byPrefix = new Map(offering.map((m) => [relayKeyPrefix(m.publicKey), m]));
  const prefixOf = new Map(offering.map((m) => [m, relayKeyPrefix(m.publicKey)]));
  const reports = (from: RelayMember, about: RelayMember) => from.relay?.unreachable.includes(prefixOf.get(about) ?? '') ?? false;
  const reported = new Set(offering.flatMap((m) => m.relay?.unreachable ?? []));
  const reportedRank = (m: RelayMember) => (reported.has(prefixOf.get(m) ?? '') ? 1 : 0);
  const taken = new Set(manual.map((r) => pairKey(...r.between)));
  const relays: Relay[] = [];
  for (const a of offering) {
    for (const prefix of a.relay?.unreachable ?? []) {
      const b = byPrefix.get(prefix);
      if (!b || b === a || taken.has(pairKey(a.label, b.label))) continue;
      taken.add(pairKey(a.label, b.label));
      const [via] = offering
        .filter((r) => r !== a && r !== b && !(reports(a, r) || reports(b, r) || reports(r, a) || reports(r, b)))
        .sort((x, y) => reportedRank(x) - reportedRank(y) || SITE_RANK[x.relay?.site ?? ''] - SITE_RANK[y.relay?.site ?? ''] || byNodeId(x, y));
      if (via) relays.push({ between: [a.label, b.label].sort() as [string, string], via: via.label });
    }
  }
  return relays;
}

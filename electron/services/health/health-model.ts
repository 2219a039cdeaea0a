import { fragileReasonList, type FragileReason } from '../../../agent/shared/health-codes.js';
import type { DiagnosisReport, FindingCause, Severity } from '../../contract/diagnosis.js';
import type { ClusterHealth, FindingScreen, FragilePair, MtuCheck, NodeHealth, PairCounts, RelayedPair, SiteHealth } from '../../contract/health.js';
import type { SiteKind } from '../../contract/machines.js';
import { pairCodes, type RelayedCell } from '../../contract/mesh.js';

/** The mesh's outer IPv6 headers: what Settings subtracts from a link MTU for its recommendation. */
export const MESH_OVERHEAD = 80;

/** A node as the health model needs it. */
export interface HealthNode {
  name: string;
  site: SiteKind;
  /** False for a member Spanwise does not manage: its own row is never seen and does not count. */
  managed?: boolean;
  /** Whether the desktop reads its agent (a lone node scores 100 only then). */
  agentReachable: boolean;
}

/** What the model is built from: the live mesh view, the last diagnosis, and the MTU settings. */
export interface HealthInput {
  cluster: string | null;
  meshVersion: number;
  nodes: HealthNode[];
  /** Row-major mesh cell codes (`pairCodes`). */
  cells: ArrayLike<number>;
  /** The relayed cells with their relay node (the mesh view's `relays`); absent when none. */
  relays?: readonly RelayedCell[];
  report: DiagnosisReport | null;
  /** The configured mesh MTU and each node's default-route link MTU, where measured. */
  mtu: { configured: number; links: Record<string, number> } | null;
}

const MTU_CODES = new Set(['MTU_TOO_LARGE', 'MTU_ABOVE_UNDERLAY']);
const zero = (): PairCounts => ({ up: 0, fragile: 0, down: 0, unknown: 0 });
const score = (c: PairCounts) => {
  const total = c.up + c.fragile + c.down + c.unknown;
  return total === 0 ? null : Math.round((100 * (c.up + c.fragile / 2)) / total);
};
const recommended = (link: number | undefined) => (link === undefined ? null : Math.max(1280, link - MESH_OVERHEAD));
const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** The causes by the pairs (either direction) and the nodes they name, so each pair is judged by lookups. */
interface CauseIndex {
  byPair: Map<string, FindingCause[]>;
  byNode: Map<string, FindingCause[]>;
}

function indexCauses(causes: FindingCause[]): CauseIndex {
  const byPair = new Map<string, FindingCause[]>();
  const byNode = new Map<string, FindingCause[]>();
  const add = (map: Map<string, FindingCause[]>, key: string, c: FindingCause) => {
    const list = map.get(key) ?? [];
    if (!list.includes(c)) map.set(key, [...list, c]);
  };
  for (const c of causes) {
    for (const p of c.pairs) add(byPair, pairKey(p.from, p.to), c);
    for (const n of c.nodes) add(byNode, n, c);
  }
  return { byPair, byNode };
}

/** Why the up pair a → b is fragile (empty: it is plainly up), and the causes that say so. */
function fragility(a: string, b: string, input: HealthInput, index: CauseIndex): { reasons: FragileReason[]; causes: string[] } {
  const reasons = new Set<FragileReason>();
  const ids = new Set<string>();
  const onPair = index.byPair.get(pairKey(a, b)) ?? [];
  const onEnds = [...(index.byNode.get(a) ?? []), ...(index.byNode.get(b) ?? [])];
  const udp = input.report?.matrix.udp51820;
  if (udp?.[a]?.[b] === 'blocked' || udp?.[b]?.[a] === 'blocked') {
    reasons.add('ONE_WAY_INBOUND');
    for (const c of onPair) if (!MTU_CODES.has(c.code)) ids.add(c.id);
  }
  const mtu = input.mtu;
  const path = mtu ? [recommended(mtu.links[a]), recommended(mtu.links[b])].filter((r): r is number => r !== null) : [];
  const mtuCauses = [...onPair, ...onEnds.filter((c) => c.pairs.length === 0)].filter((c) => MTU_CODES.has(c.code));
  if ((mtu && path.some((r) => r < mtu.configured)) || mtuCauses.length > 0) {
    reasons.add('MTU_ABOVE_PATH');
    for (const c of mtuCauses) ids.add(c.id);
  }
  const open = onEnds.filter((c) => c.severity === 'warning' && !ids.has(c.id));
  if (open.length > 0) {
    reasons.add('WARNING_OPEN');
    for (const c of open) ids.add(c.id);
  }
  return { reasons: fragileReasonList.filter((r) => reasons.has(r)), causes: [...ids] };
}

/** Which screens show a cause, for the counts in the navigation. */
function screensOf(c: FindingCause): FindingScreen[] {
  if (MTU_CODES.has(c.code)) return ['overview', 'settings', 'mesh', 'topology'];
  return c.pairs.length > 0 ? ['overview', 'firewall', 'mesh', 'topology'] : ['overview', 'firewall'];
}

/**
 * The health model: every ordered pair up, fragile (up, but see `fragileReasons`),
 * down or unknown; the score counts a fragile pair as half. A relayed pair is up
 * and never fragile (its direct path is blocked by design), listed in `relayed`. Only rows of managed
 * nodes count (a member Spanwise does not manage never reports its own). Pure.
 */
export function healthOf(input: HealthInput): ClusterHealth {
  const { nodes, cells } = input;
  const n = nodes.length;
  const causes = input.report?.causes ?? [];
  const index = indexCauses(causes);
  const perNode = nodes.map(zero);
  const perSite = new Map<SiteKind, PairCounts>();
  const pairs = zero();
  const fragile: FragilePair[] = [];
  const relayed: RelayedPair[] = [];
  const vias = new Map(input.relays ?? []);
  for (let i = 0; i < n; i++) {
    const from = nodes[i] as HealthNode;
    if (from.managed === false) continue;
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const to = nodes[j] as HealthNode;
      const code = cells[i * n + j];
      let state: keyof PairCounts = code === pairCodes.up || code === pairCodes.relayed ? 'up' : code === pairCodes.down ? 'down' : 'unknown';
      if (code === pairCodes.relayed) {
        const via = vias.get(i * n + j);
        if (via !== undefined) relayed.push({ from: from.name, to: to.name, via, reason: `relayed through ${via}: up, with no direct path between the two` });
      } else if (state === 'up') {
        const why = fragility(from.name, to.name, input, index);
        if (why.reasons.length > 0) {
          state = 'fragile';
          fragile.push({ from: from.name, to: to.name, ...why });
        }
      }
      pairs[state] += 1;
      (perNode[i] as PairCounts)[state] += 1;
      (perNode[j] as PairCounts)[state] += 1;
      for (const site of new Set([from.site, to.site])) {
        const counts = perSite.get(site) ?? zero();
        counts[state] += 1;
        perSite.set(site, counts);
      }
    }
  }
  const anyAgent = nodes.some((node) => node.agentReachable);
  const nodeHealth: NodeHealth[] = nodes.map((node, i) => ({
    name: node.name,
    site: node.site,
    score: score(perNode[i] as PairCounts) ?? (node.agentReachable ? 100 : 0),
    pairs: perNode[i] as PairCounts,
  }));
  const sites: SiteHealth[] = (['edge', 'datacenter', 'cloud'] as const).flatMap((site) => {
    const members = nodeHealth.filter((node) => node.site === site);
    if (members.length === 0) return [];
    const score = Math.round(members.reduce((sum, m) => sum + m.score, 0) / members.length);
    return [{ site, nodes: members.length, score, pairs: perSite.get(site) ?? zero() }];
  });
  const severities: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const screens: Record<FindingScreen, number> = { overview: 0, mesh: 0, topology: 0, firewall: 0, settings: 0 };
  for (const c of causes) {
    severities[c.severity] += 1;
    for (const s of screensOf(c)) screens[s] += 1;
  }
  const mtu = mtuCheck(input.mtu);
  if (mtu?.above && !causes.some((c) => MTU_CODES.has(c.code))) screens.settings += 1;
  const verdict = pairs.down > 0 ? 'down' : pairs.fragile > 0 ? 'fragile' : pairs.up > 0 ? 'healthy' : 'unknown';
  return {
    cluster: input.cluster,
    score: score(pairs) ?? (n > 0 && anyAgent ? 100 : 0),
    verdict,
    pairs,
    fragile,
    relayed,
    nodes: nodeHealth,
    sites,
    causes,
    severities,
    screens,
    mtu,
    meshVersion: input.meshVersion,
    diagnosedAt: input.report?.generatedAt ?? null,
  };
}

function mtuCheck(mtu: HealthInput['mtu']): MtuCheck | null {
  if (!mtu) return null;
  const links = Object.values(mtu.links);
  const rec = links.length ? recommended(Math.min(...links)) : null;
  return { configured: mtu.configured, recommended: rec, above: rec !== null && rec < mtu.configured };
}

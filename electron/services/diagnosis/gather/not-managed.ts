import { MESH_PORT } from '../../../../agent/shared/ports.js';
import { pairCodes } from '../../../contract/mesh.js';
import type { AgentPeerSpec } from '../../agents/agent-view.js';
import { foreignNodes, unmatchedPeers } from '../../mesh/foreign-members.js';
import type { DiagnosisContext } from '../context.js';
import type { DiagnosisReport, Remediation } from '../../../contract/diagnosis.js';
import type { Evidence, NatObservation, NodeEvidence, PairEvidence } from '../evidence.js';
import { seenPeer, type NodeRead } from './node-read.js';

/** What the evidence says of every member Spanwise does not manage: it has no agent or SSH, so nothing but the Spanwise side is known. */
export const NOT_MANAGED_NOTE = 'the other side is not managed by Spanwise; its own firewall and view are unknown';

/** A member the read agents peer with that is none of the read nodes, with what they were told of it. */
interface ForeignRead {
  name: string;
  site: NodeEvidence['site'];
  publicKey: string;
  /** The peer spec a read agent holds for it (its published endpoints and addresses), or null. */
  spec: AgentPeerSpec | null;
}

const ipOf = (endpoint: string) => endpoint.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');

/** The members not managed that the read agents peer with, named as the mesh view names them. */
function foreignReads(reads: NodeRead[]): ForeignRead[] {
  const names = new Set(reads.map((r) => r.node.name));
  const keys = new Set(reads.flatMap((r) => r.publicKey ?? []));
  const members = unmatchedPeers(
    reads.flatMap((r) => r.peers),
    keys,
    (name) => names.has(name),
  );
  const nodes = foreignNodes(
    members,
    reads.map((r) => ({ name: r.node.name, site: r.node.site, role: 'worker' })),
  );
  return nodes.map((n) => ({
    name: n.name,
    site: n.site,
    publicKey: n.publicKey as string,
    spec: reads.flatMap((r) => r.peerSpecs.find((s) => s.publicKey === n.publicKey) ?? [])[0] ?? null,
  }));
}

/**
 * A member not managed as evidence, from its published data only: endpoints and node addresses (host
 * routes of its allowed IPs) from a peer spec, its reflected address as the published endpoint that is
 * none of its addresses, and NAT observations from read agents whose WireGuard is up with it.
 */
function foreignNode(f: ForeignRead, reads: NodeRead[]): NodeEvidence {
  const meshAddress = f.spec?.address ?? null;
  const addresses = (f.spec?.allowedIps ?? []).filter((a) => /\/(32|128)$/.test(a) && a.split('/')[0] !== meshAddress);
  const endpoints = f.spec?.endpoints ?? [];
  const own = new Set(addresses.map((a) => a.split('/')[0]));
  const reflectedIp = endpoints.map(ipOf).find((ip) => !own.has(ip)) ?? null;
  const nat: NatObservation[] = reads
    .flatMap((r) => r.peers.filter((p) => p.publicKey === f.publicKey && p.state === pairCodes.up && p.endpoint).map((p) => [r, p] as const))
    .slice(0, 2)
    .map(([r, p]) => ({ observer: r.node.name, observed: p.endpoint as string, sourcePort: MESH_PORT, via: 'wireguard' }));
  return {
    name: f.name,
    site: f.site,
    managed: false,
    addresses,
    endpoints,
    reflectedIp,
    agent: { reachable: false, via: null },
    apiFromDesktop: [],
    firewall: null,
    nat,
    linkMtu: null,
    meshMtu: null,
    discovery: null,
    publicKey: f.publicKey,
    meshAddress,
    peers: [],
    warnings: [],
    host: null,
  };
}

/**
 * The pairs between read nodes and a member not managed, judged from the Spanwise side: UDP 51820 towards
 * it is open when the node's WireGuard is up with it on one of its published endpoints; from it, when the
 * node's WireGuard is up and has received from it. Nothing else is probed (it runs no Spanwise agent, and
 * TCP 50000 on a Talos node is apid), so the rest stays unknown and its own view is null.
 */
function foreignPairs(f: ForeignRead, reads: NodeRead[]): PairEvidence[] {
  const published = new Set((f.spec?.endpoints ?? []).map(ipOf));
  return reads.flatMap((r) => {
    const peer = r.peers.find((p) => p.publicKey === f.publicKey);
    const up = peer?.state === pairCodes.up;
    const base = { tcp50000: 'unknown', pathMtu: null, ipv6: null } as const;
    return [
      {
        ...base,
        from: r.node.name,
        to: f.name,
        udp51820: up && peer?.endpoint && published.has(ipOf(peer.endpoint)) ? 'open' : 'unknown',
        peer: peer ? seenPeer(peer) : null,
      },
      { ...base, from: f.name, to: r.node.name, udp51820: up && (peer?.rx ?? 0) > 0 ? 'open' : 'unknown', peer: null },
    ];
  });
}

/** Evidence of the members not managed that the read agents peer with: their nodes, and their pairs with the read nodes. */
export function notManagedEvidence(reads: NodeRead[]): { nodes: NodeEvidence[]; pairs: PairEvidence[] } {
  const foreign = foreignReads(reads);
  return { nodes: foreign.map((f) => foreignNode(f, reads)), pairs: foreign.flatMap((f) => foreignPairs(f, reads)) };
}

/**
 * What a down pair with a member not managed shows from the Spanwise side: what the Spanwise node sent
 * towards its published endpoints and got back, its NAT as its reflected address shows it, and what
 * cannot be seen (empty when both ends are managed).
 */
export function notManagedSentences(ctx: DiagnosisContext, a: string, b: string): string[] {
  const foreign = [a, b].find((n) => ctx.node(n).managed === false);
  if (!foreign) return [];
  const other = foreign === a ? b : a;
  const node = ctx.node(foreign);
  const sent = ctx.pair(other, foreign)?.peer;
  const out: string[] = [];
  if (ctx.node(other).managed !== false && sent)
    out.push(
      `${other} sent ${sent.tx} B towards ${foreign}'s published endpoints (${node.endpoints.join(', ') || 'none'}) and received ${sent.rx} B; UDP ${MESH_PORT} to ${foreign} ${sent.rx > 0 ? 'answers' : 'gets no answer'}`,
    );
  const nat = ctx.nat(foreign);
  if (nat.behindNat) out.push(`${foreign} is behind NAT: its reflected address ${nat.publicIp ?? 'unknown'} is none of its own addresses`);
  out.push(NOT_MANAGED_NOTE);
  return out;
}

/** The report's `notManaged` part: each member not managed with its endpoints and how the Spanwise nodes see it; nothing when there is none. */
export function notManagedReport(evidence: Evidence): Pick<DiagnosisReport, 'notManaged'> {
  const members = evidence.nodes
    .filter((n) => n.managed === false)
    .map((n) => ({
      name: n.name,
      publicKey: n.publicKey ?? '',
      endpoints: n.endpoints,
      seenBy: evidence.pairs.flatMap((p) => (p.to === n.name && p.peer ? [{ node: p.from, state: p.peer.state }] : [])),
      note: NOT_MANAGED_NOTE,
    }));
  return members.length > 0 ? { notManaged: members } : {};
}

/** What to do about a down pair with a member not managed when nothing on the Spanwise side explains it; null when both ends are managed. */
export function notManagedRemediation(ctx: DiagnosisContext, a: string, b: string): Remediation | null {
  const foreign = [a, b].find((n) => ctx.node(n).managed === false);
  if (!foreign) return null;
  const other = foreign === a ? b : a;
  const from = ctx.publicAddress(other) ?? other;
  return {
    summary: `Check that ${foreign} accepts UDP ${MESH_PORT} at its published endpoints (its firewall is outside Spanwise's view), then ${other}'s agent log.`,
    hostFixes: [],
    changeRequest: `Allow inbound UDP ${MESH_PORT} on ${foreign} (${ctx.node(foreign).endpoints.join(', ') || 'its endpoints'}) from ${from}.`,
  };
}

import { pairCodes } from '../../../contract/mesh.js';
import type { AgentPeer } from '../../agents/agent-view.js';
import type { Evidence, NatObservation, NodeEvidence, PairEvidence, Reach } from '../evidence.js';
import { AGENT_API_PORT } from '../../../../agent/shared/ports.js';
import { inspectFirewall } from '../firewall/inspect.js';
import { pool } from '../../../../agent/shared/pool.js';
import { atOnce, desktopTcp, oneByOne, probe, type Batch } from './agent-calls.js';
import { parsePathMtus, pathMtuScript } from './host-report.js';
import { natProbe, openNatTargets } from './nat-probe.js';
import { notManagedEvidence } from './not-managed.js';
import { readNode, seenPeer, targetIps, type GatherNode, type NodeRead } from './node-read.js';
import { tcpInto } from './tcp-reach.js';
import { udpInto, type UdpInto } from './udp-reach.js';

export type { GatherNode } from './node-read.js';

/** The desktop's own TCP check, replaceable in tests. */
export type DesktopTcp = typeof desktopTcp;

/** Options: the desktop's TCP check, and how many nodes are read at once. */
export interface GatherOptions {
  desktopTcp?: DesktopTcp;
  concurrency?: number;
  /** Run the probe phases one after another, and each phase's probes one at a time (a baseline for benchmarks). */
  sequential?: boolean;
}

const ipv4 = (a: string) => /^[0-9.]{7,15}$/.test(a);
const own = (r: NodeRead) => r.addresses.map((a) => a.split('/')[0] as string).filter(ipv4);
const sourceAddresses = (r: NodeRead) => [...new Set([...(r.reflectedIp ? [r.reflectedIp] : []), ...own(r)])];
/** IPv6 is routed, not translated: a node sends from its own global addresses. */
const sourceAddresses6 = (r: NodeRead) => targetIps(r, 6);
const natted = (r: NodeRead) => r.reflectedIp !== null && !own(r).includes(r.reflectedIp);

/**
 * Gathers the evidence `diagnose` needs from live nodes: each agent (host
 * facts, identity, peers, endpoints, config), each host's firewall and MTUs
 * over SSH (read-only), then, all at once: TCP 50000 from the desktop and
 * between nodes, UDP 51820 into every node (responder or arrival counter),
 * NAT observations, path MTU over the underlay, and discovery reachability.
 * Members the agents peer with that Spanwise does not manage follow, judged
 * from the Spanwise side only (see not-managed.ts). Everything it opens it closes.
 */
export class EvidenceGatherer {
  constructor(private readonly options: GatherOptions = {}) {}

  async gather(nodes: GatherNode[], discovery: string | null): Promise<Evidence> {
    const limit = this.options.sequential ? 1 : (this.options.concurrency ?? 16);
    const reads = await pool(nodes, limit, readNode);
    try {
      return await this.cross(reads, discovery, limit);
    } finally {
      await Promise.all(reads.map(async (r) => (r.shell?.close(), await r.agent?.close().catch(() => undefined))));
    }
  }

  private async cross(reads: NodeRead[], discovery: string | null, limit: number): Promise<Evidence> {
    const byKey = new Map(reads.filter((r) => r.publicKey).map((r) => [r.publicKey as string, r.node.name]));
    const nameOfPeer = (p: AgentPeer) => byKey.get(p.publicKey) ?? (reads.some((r) => r.node.name === p.label) ? p.label : null);
    const peerOf = (from: NodeRead, to: NodeRead) =>
      from.peers.find((p) => to.publicKey !== null && p.publicKey === to.publicKey) ?? from.peers.find((p) => nameOfPeer(p) === to.node.name);
    const firewalls = new Map(reads.map((r) => [r.node.name, r.report ? inspectFirewall(r.report.firewall) : null]));
    const observers = reads.filter((r) => r.agent && !natted(r)).sort((a, b) => (a.node.site === 'cloud' ? 0 : 1) - (b.node.site === 'cloud' ? 0 : 1));
    const sequential = this.options.sequential ?? false;
    const batch: Batch = sequential ? oneByOne : atOnce;
    const pairs = reads.flatMap((from) => reads.filter((to) => to !== from).map((to) => [from, to] as const));

    const udpPhase = () =>
      pool(reads, limit, (to) =>
        udpInto(
          to,
          reads.filter((r) => r !== to),
          sourceAddresses,
          firewalls.get(to.node.name)?.udp51820.verdict === 'block',
          batch,
        ),
      );
    const tcpPhase = async () => {
      const tcp = new Map<string, Reach>();
      await pool(pairs, sequential ? 1 : pairs.length, async ([from, to]) =>
        tcp.set(`${from.node.name}>${to.node.name}`, await tcpInto(from, to, 2000, batch)),
      );
      return tcp;
    };
    const mtuPhase = async () => {
      const mtus = new Map<string, Map<string, number>>();
      await pool(reads, limit, async (from) => {
        if (!from.shell) return;
        const targets = reads.filter((r) => r !== from).map((to) => mtuTarget(peerOf(from, to)?.endpoint ?? null, to));
        const out = await from.shell.exec(pathMtuScript(targets.filter((t): t is string => t !== null))).catch(() => null);
        mtus.set(from.node.name, parsePathMtus(out?.stdout ?? ''));
      });
      return mtus;
    };
    const natPhase = async () => {
      const nat = new Map<string, NatObservation[]>();
      const behind = reads.filter(natted);
      if (behind.length === 0) return nat;
      const targets = await openNatTargets(observers, 8000);
      await pool(behind, limit, async (r) => nat.set(r.node.name, await natProbe(r, targets)));
      return nat;
    };
    const reachPhase = () => pool(reads, limit, (r) => this.nodeReach(r, discovery, batch));
    const dualStack = reads.filter((r) => targetIps(r, 6).length > 0);
    const v6Phase = async () => {
      const udp6 = new Map<string, Map<string, Reach>>();
      const tcp6 = new Map<string, Reach>();
      if (dualStack.length < 2) return { udp6, tcp6 };
      await Promise.all([
        pool(dualStack, limit, async (to) =>
          udp6.set(
            to.node.name,
            (
              await udpInto(
                to,
                dualStack.filter((r) => r !== to),
                sourceAddresses6,
                false,
                batch,
                6,
              )
            ).reach,
          ),
        ),
        pool(
          pairs.filter(([from, to]) => dualStack.includes(from) && dualStack.includes(to)),
          sequential ? 1 : pairs.length,
          async ([from, to]) => tcp6.set(`${from.node.name}>${to.node.name}`, await tcpInto(from, to, 2000, batch, 6)),
        ),
      ]);
      return { udp6, tcp6 };
    };

    const phases = [udpPhase, tcpPhase, mtuPhase, natPhase, reachPhase, v6Phase] as const;
    let udp: UdpInto[];
    let tcp: Map<string, Reach>;
    let mtus: Map<string, Map<string, number>>;
    let natSeen: Map<string, NatObservation[]>;
    let reach: Array<Pick<NodeEvidence, 'apiFromDesktop' | 'discovery'>>;
    let v6: Awaited<ReturnType<typeof v6Phase>>;
    if (sequential) {
      udp = await phases[0]();
      tcp = await phases[1]();
      mtus = await phases[2]();
      natSeen = await phases[3]();
      reach = await phases[4]();
      v6 = await phases[5]();
    } else [udp, tcp, mtus, natSeen, reach, v6] = await Promise.all([phases[0](), phases[1](), phases[2](), phases[3](), phases[4](), phases[5]()]);

    const nodes: NodeEvidence[] = reads.map((r, i) => {
      const nat: NatObservation[] = [
        ...udp.flatMap((u) => u.observations.filter((o) => o.node === r.node.name).map((o) => o.observation)),
        ...(natSeen.get(r.node.name) ?? []),
      ];
      for (const observer of observers.filter((p) => p !== r)) {
        const seen = peerOf(observer, r);
        if (seen?.state === pairCodes.up && seen.endpoint && nat.length < 2 && !nat.some((o) => o.observer === observer.node.name))
          nat.push({ observer: observer.node.name, observed: seen.endpoint, sourcePort: 51820, via: 'wireguard' });
      }
      const link = r.report?.defaultLink ? r.report.mtus[r.report.defaultLink] : undefined;
      const { apiFromDesktop, discovery: disc } = reach[i] as Pick<NodeEvidence, 'apiFromDesktop' | 'discovery'>;
      return {
        name: r.node.name,
        site: r.node.site,
        addresses: r.addresses,
        endpoints: r.endpoints,
        reflectedIp: r.reflectedIp,
        agent: { reachable: r.agent !== null, via: r.agent?.connection.via ?? null },
        apiFromDesktop,
        firewall: firewalls.get(r.node.name) ?? null,
        nat,
        linkMtu: link ?? null,
        meshMtu: r.meshMtu,
        discovery: disc,
        publicKey: r.publicKey,
        meshAddress: r.meshAddress,
        peers: r.peers.map((p) => ({ publicKey: p.publicKey, label: p.label, state: seenPeer(p).state, endpoint: p.endpoint })),
        warnings: r.warnings,
        host: r.facts,
      };
    });
    const evidencePairs: PairEvidence[] = pairs.map(([from, to]) => {
      const peer = peerOf(from, to);
      const target = mtuTarget(peer?.endpoint ?? null, to);
      return {
        from: from.node.name,
        to: to.node.name,
        udp51820: udp[reads.indexOf(to)]?.reach.get(from.node.name) ?? 'unknown',
        tcp50000: tcp.get(`${from.node.name}>${to.node.name}`) ?? 'unknown',
        peer: peer ? seenPeer(peer) : null,
        pathMtu: target ? (mtus.get(from.node.name)?.get(target) ?? null) : null,
        ipv6:
          dualStack.includes(from) && dualStack.includes(to)
            ? {
                udp51820: v6.udp6.get(to.node.name)?.get(from.node.name) ?? 'unknown',
                tcp50000: v6.tcp6.get(`${from.node.name}>${to.node.name}`) ?? 'unknown',
              }
            : null,
      };
    });
    const foreign = notManagedEvidence(reads);
    return { nodes: [...nodes, ...foreign.nodes], pairs: [...evidencePairs, ...foreign.pairs] };
  }

  /** TCP 50000 from the desktop to the node's SSH and reflected addresses, and TCP from the node to discovery. */
  private async nodeReach(r: NodeRead, discovery: string | null, batch: Batch): Promise<Pick<NodeEvidence, 'apiFromDesktop' | 'discovery'>> {
    const desktop = this.options.desktopTcp ?? desktopTcp;
    const candidates = [...new Set([r.node.sshHost, ...(r.reflectedIp ? [r.reflectedIp] : [])])];
    const target = r.discovery ?? discovery;
    const apiFromDesktop = batch(
      candidates.map((host) => async () => ({
        target: host.includes(':') ? `[${host}]:${AGENT_API_PORT}` : `${host}:${AGENT_API_PORT}`,
        ...(await desktop(host, AGENT_API_PORT, 2000)),
      })),
    );
    const disc = (async (): Promise<NodeEvidence['discovery']> => {
      if (!target || !r.agent) return null;
      const [host, port] = [target.replace(/:\d+$/, ''), Number(/:(\d+)$/.exec(target)?.[1] ?? 0)];
      const p = await probe(r.agent.connection.client, 'tcp', host, port, 2000);
      return { target, reachable: p.reachable, ...(p.reachable ? {} : { error: p.error }) };
    })();
    return { apiFromDesktop: await apiFromDesktop, discovery: await disc };
  }
}

/** The address path MTU is measured to: the endpoint WireGuard uses for the peer, else the peer's first address. */
function mtuTarget(endpoint: string | null, to: NodeRead): string | null {
  const ip = endpoint?.replace(/:\d+$/, '') ?? '';
  return ipv4(ip) ? ip : (targetIps(to)[0] ?? null);
}

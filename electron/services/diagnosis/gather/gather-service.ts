import type { Evidence, NatObservation, NodeEvidence, PairEvidence, Reach } from '../evidence.js';
import { API_PORT } from '../evidence.js';
import { inspectFirewall } from '../firewall/inspect.js';
import type { ValidPeer } from '../../mesh/peer-input.js';
import { desktopTcp, pool, probe } from './agent-calls.js';
import { parsePathMtus, pathMtuScript } from './host-report.js';
import { readNode, targetIps, type GatherNode, type NodeRead } from './node-read.js';
import { natProbe, udpInto } from './udp-reach.js';

export type { GatherNode } from './node-read.js';

/** The desktop's own TCP check, replaceable in tests. */
export type DesktopTcp = typeof desktopTcp;

const stateName = ['unknown', 'up', 'down'] as const;

/**
 * Gathers the evidence `diagnose` needs from live nodes: each agent (host
 * facts, identity, peers, endpoints, config), each host's firewall and MTUs
 * over SSH (read-only), TCP 50000 from the desktop and between nodes, UDP
 * 51820 into every node (responder or arrival counter), NAT observations,
 * path MTU, and discovery reachability. Everything it opens it closes.
 */
export class EvidenceGatherer {
  constructor(private readonly options: { desktopTcp?: DesktopTcp; concurrency?: number } = {}) {}

  async gather(nodes: GatherNode[], discovery: string | null): Promise<Evidence> {
    const limit = this.options.concurrency ?? 8;
    const reads = await pool(nodes, limit, readNode);
    try {
      return await this.cross(reads, discovery, limit);
    } finally {
      await Promise.all(reads.map(async (r) => (r.shell?.close(), await r.agent?.close().catch(() => undefined))));
    }
  }

  private async cross(reads: NodeRead[], discovery: string | null, limit: number): Promise<Evidence> {
    const byKey = new Map(reads.filter((r) => r.publicKey).map((r) => [r.publicKey as string, r.node.name]));
    const nameOfPeer = (p: ValidPeer) => byKey.get(p.publicKey) ?? (reads.some((r) => r.node.name === p.label) ? p.label : null);
    const own = (r: NodeRead) => r.addresses.map((a) => a.split('/')[0] as string).filter((a) => /^[0-9.]+$/.test(a));
    const sourceAddresses = (r: NodeRead) => [...new Set([...(r.reflectedIp ? [r.reflectedIp] : []), ...own(r)])];
    const public_ = reads.filter((r) => r.agent && (!r.reflectedIp || own(r).includes(r.reflectedIp))).sort((a, b) => (a.node.site === 'cloud' ? 0 : 1) - (b.node.site === 'cloud' ? 0 : 1));
    const desktop = this.options.desktopTcp ?? desktopTcp;

    const firewalls = new Map(reads.map((r) => [r.node.name, r.report ? inspectFirewall(r.report.firewall) : null]));
    const udp = await pool(reads, limit, (to) => udpInto(to, reads.filter((r) => r !== to), sourceAddresses, firewalls.get(to.node.name)?.udp51820.verdict === 'block'));
    const tcp = new Map<string, Reach>();
    await pool(reads.flatMap((from) => reads.filter((to) => to !== from).map((to) => [from, to] as const)), limit * 4, async ([from, to]) => {
      if (!from.agent) return;
      let reach: Reach = targetIps(to).length ? 'blocked' : 'unknown';
      for (const ip of targetIps(to)) {
        if ((await probe(from.agent.connection.client, 'tcp', ip, API_PORT, 2000)).reachable) {
          reach = 'open';
          break;
        }
      }
      tcp.set(`${from.node.name}>${to.node.name}`, reach);
    });
    const mtus = new Map<string, Map<string, number>>();
    await pool(reads, limit, async (from) => {
      if (!from.shell) return;
      const out = await from.shell.exec(pathMtuScript(reads.filter((r) => r !== from).map((r) => targetIps(r)[0] ?? ''))).catch(() => null);
      mtus.set(from.node.name, parsePathMtus(out?.stdout ?? ''));
    });

    const nodes: NodeEvidence[] = await pool(reads, limit, async (r) => {
      const nat: NatObservation[] = [...udp.flatMap((u) => u.observations.filter((o) => o.node === r.node.name).map((o) => o.observation))];
      if (nat.length === 0 && r.reflectedIp && !own(r).includes(r.reflectedIp)) nat.push(...(await natProbe(r, public_.filter((p) => p !== r))));
      for (const observer of public_.filter((p) => p !== r)) {
        const seen = observer.peers.find((p) => nameOfPeer(p) === r.node.name && p.state === 1 && p.endpoint);
        if (seen?.endpoint && nat.length < 2 && !nat.some((o) => o.observer === observer.node.name)) nat.push({ observer: observer.node.name, observed: seen.endpoint, sourcePort: 51820, via: 'wireguard' });
      }
      const candidates = [...new Set([r.node.sshHost, ...(r.reflectedIp ? [r.reflectedIp] : [])])];
      const apiFromDesktop = await Promise.all(candidates.map(async (host) => ({ target: host.includes(':') ? `[${host}]:${API_PORT}` : `${host}:${API_PORT}`, ...(await desktop(host, API_PORT, 2500)) })));
      const target = r.discovery ?? discovery;
      let disc: NodeEvidence['discovery'] = null;
      if (target && r.agent) {
        const [host, port] = [target.replace(/:\d+$/, ''), Number(/:(\d+)$/.exec(target)?.[1] ?? 0)];
        const p = await probe(r.agent.connection.client, 'tcp', host, port, 3000);
        disc = { target, reachable: p.reachable, ...(p.reachable ? {} : { error: p.error }) };
      }
      const link = r.report?.defaultLink ? r.report.mtus[r.report.defaultLink] : undefined;
      return { name: r.node.name, site: r.node.site, addresses: r.addresses, endpoints: r.endpoints, reflectedIp: r.reflectedIp, agent: { reachable: r.agent !== null, via: r.agent?.connection.via ?? null }, apiFromDesktop, firewall: firewalls.get(r.node.name) ?? null, nat, linkMtu: link ?? null, meshMtu: r.meshMtu, discovery: disc };
    });

    const pairs: PairEvidence[] = [];
    reads.forEach((from) => {
      reads.forEach((to, j) => {
        if (from === to) return;
        const peer = from.peers.find((p) => nameOfPeer(p) === to.node.name);
        pairs.push({
          from: from.node.name,
          to: to.node.name,
          udp51820: udp[j]?.reach.get(from.node.name) ?? 'unknown',
          tcp50000: tcp.get(`${from.node.name}>${to.node.name}`) ?? 'unknown',
          peer: peer ? { state: stateName[peer.state], endpoint: peer.endpoint, lastHandshake: peer.lastHandshakeMs ? new Date(peer.lastHandshakeMs).toISOString() : null, rx: peer.rx, tx: peer.tx, reason: peer.reason } : null,
          pathMtu: mtus.get(from.node.name)?.get(targetIps(to)[0] ?? '') ?? null,
        });
      });
    });
    return { nodes, pairs };
  }
}

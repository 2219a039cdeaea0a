import type { DiagnosisReport, MeshNode, MeshPatch, MeshSnapshot, PairCode, SiteKind } from '../../electron/contract/index.js';
import type { Handlers } from '../../electron/handlers/index.js';
import { withCauses } from '../../electron/services/diagnosis/causes.js';

const sites: SiteKind[] = ['edge', 'datacenter', 'cloud'];
const prefix: Record<SiteKind, string> = { edge: 'edge', datacenter: 'dc', cloud: 'cloud' };

/** `n` simulated nodes, a third per site kind. */
export function simulatedNodes(n: number): MeshNode[] {
  return Array.from({ length: n }, (_, i) => {
    const site = sites[Math.min(2, Math.floor((i * 3) / n))] as SiteKind;
    const number = String(i + 1).padStart(n >= 100 ? 3 : 2, '0');
    return {
      name: `${prefix[site]}-${number}`,
      site,
      role: i % 5 === 0 ? 'controlplane' : 'worker',
      health: 100,
      agentReachable: true,
      via: 'direct',
      address: `fd7a:115c:a1e0::${(i + 1).toString(16)}`,
      agentVersion: '0.1.0',
      managed: true,
    };
  });
}

/**
 * A plausible mesh: edge-to-edge pairs are down (both behind NAT), the second
 * datacenter node takes no inbound UDP (others → it down, it → others up),
 * and the last node's agent is unreachable (its row unknown).
 */
export function simulatedSnapshot(n: number, version = 1, cluster = 'hybrid'): MeshSnapshot {
  const nodes = simulatedNodes(n);
  const blocked = nodes.findIndex((node, i) => node.site === 'datacenter' && nodes[i - 1]?.site === 'datacenter');
  const lost = n - 1;
  const cells: PairCode[] = new Array(n * n);
  for (let from = 0; from < n; from++) {
    for (let to = 0; to < n; to++) {
      const a = nodes[from] as MeshNode;
      const b = nodes[to] as MeshNode;
      cells[from * n + to] = from === to ? 3 : from === lost ? 0 : a.site === 'edge' && b.site === 'edge' ? 2 : to === blocked ? 2 : 1;
    }
  }
  nodes[lost] = { ...(nodes[lost] as MeshNode), agentReachable: false, via: null, agentVersion: null, health: 0 };
  const up = cells.filter((c) => c === 1).length;
  for (const [i, node] of nodes.entries())
    if (i !== lost) node.health = Math.round((100 * cells.slice(i * n, i * n + n).filter((c) => c === 1).length) / (n - 1));
  return { version, cluster, nodes, cells, clusterHealth: Math.round((100 * up) / (n * (n - 1))), updatedAt: new Date().toISOString() };
}

/** A patch that changes every off-diagonal cell (up ↔ down by turns), leading to `version`. */
export function fullPatch(snapshot: MeshSnapshot, version: number): MeshPatch {
  const n = snapshot.nodes.length;
  const cells: Array<[number, PairCode]> = [];
  for (let i = 0; i < n * n; i++) {
    if (Math.floor(i / n) === i % n) continue;
    cells.push([i, (i + version) % 2 === 0 ? 1 : 2]);
  }
  return { version, cells, nodes: [], clusterHealth: 50, updatedAt: new Date().toISOString() };
}

/** A diagnosis report over the snapshot's nodes: the blocked datacenter node, the edge pairs, and the lost agent. */
export function simulatedReport(snapshot: MeshSnapshot): DiagnosisReport {
  const names = snapshot.nodes.map((n) => n.name);
  const n = names.length;
  const udp: DiagnosisReport['matrix']['udp51820'] = {};
  const tcp: DiagnosisReport['matrix']['tcp50000'] = { desktop: {} };
  names.forEach((from, i) => {
    udp[from] = {};
    tcp[from] = {};
    names.forEach((to, j) => {
      if (i === j) return;
      const code = snapshot.cells[i * n + j];
      (udp[from] as Record<string, string>)[to] = code === 1 ? 'open' : code === 2 ? 'blocked' : 'unknown';
      (tcp[from] as Record<string, string>)[to] = j === n - 1 ? 'blocked' : 'open';
    });
    (tcp.desktop as Record<string, string>)[from] = i === n - 1 ? 'blocked' : 'open';
  });
  const dc = names.find((name, i) => name.startsWith('dc-') && names[i - 1]?.startsWith('dc-')) ?? names[0] ?? 'dc';
  const edges = names.filter((name) => name.startsWith('edge-'));
  const lost = names[n - 1] ?? 'lost';
  return withCauses({
    generatedAt: new Date().toISOString(),
    durationMs: 4200,
    findings: [
      {
        id: `UDP_51820_INBOUND_BLOCKED:${dc}`,
        code: 'UDP_51820_INBOUND_BLOCKED',
        severity: 'error',
        nodes: [dc],
        pair: null,
        port: 51820,
        protocol: 'udp',
        where: 'host',
        evidence: [
          `${n - 2} peers send handshakes to ${dc}:51820 and get no answer; ${dc} answers every peer it dials.`,
          'nftables on the host: chain input { policy drop; tcp dport 22 accept }',
        ],
        remediation: {
          summary: `Allow UDP 51820 in on ${dc}.`,
          hostFixes: [
            {
              node: dc,
              firewall: 'nftables',
              apply: ['nft add rule inet filter input udp dport 51820 accept comment "spanwise"'],
              revert: [
                'nft delete rule inet filter input handle $(nft -a list chain inet filter input | sed -n \'s/.*"spanwise".*handle \\([0-9]*\\)/\\1/p\')',
              ],
            },
          ],
          changeRequest: null,
        },
      },
      {
        id: `PAIR_NO_INBOUND_END:${edges[0]}:${edges[1]}`,
        code: 'PAIR_NO_INBOUND_END',
        severity: 'warning',
        nodes: edges.slice(0, 2),
        pair: edges.length > 1 ? { from: edges[0] as string, to: edges[1] as string } : null,
        port: 51820,
        protocol: 'udp',
        where: 'upstream',
        evidence: ['Both nodes are behind NAT (reflected address differs from the local one) and neither accepts inbound UDP 51820.'],
        remediation: {
          summary: 'Forward UDP 51820 to one of the two nodes at its site gateway.',
          hostFixes: [],
          changeRequest: `Forward UDP 51820 on the edge site gateway to ${edges[0]}.`,
        },
      },
      {
        id: `TCP_50000_UNREACHABLE:${lost}`,
        code: 'TCP_50000_UNREACHABLE',
        severity: 'warning',
        nodes: [lost],
        pair: null,
        port: 50000,
        protocol: 'tcp',
        where: 'host',
        evidence: [`The desktop cannot connect to ${lost}:50000; the agent answers through SSH.`, 'iptables -S INPUT: -A INPUT -p tcp --dport 50000 -j REJECT'],
        remediation: {
          summary: `Allow TCP 50000 in on ${lost}.`,
          hostFixes: [
            {
              node: lost,
              firewall: 'iptables',
              apply: ['iptables -I INPUT -p tcp --dport 50000 -m comment --comment spanwise -j ACCEPT'],
              revert: ['iptables -D INPUT -p tcp --dport 50000 -m comment --comment spanwise -j ACCEPT'],
            },
          ],
          changeRequest: null,
        },
      },
    ],
    matrix: { udp51820: udp, tcp50000: tcp },
  });
}

/** A machine to add for a view test: no SSH behind it (its agent is a fake mesh source's, or none). */
export function viewMachine(name: string, site: SiteKind): Parameters<Handlers['machine:add']>[0] {
  return { name, ssh: { user: 'root', host: '127.0.0.1', port: 1 }, auth: { useAgent: true }, jump: [], site, role: 'worker', labels: {} };
}

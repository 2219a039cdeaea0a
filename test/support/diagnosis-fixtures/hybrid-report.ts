import type { DiagnosisReport, MeshNode, MeshSnapshot, PairCode } from '../../../electron/contract/index.js';
import { report } from '../../../electron/services/diagnosis/diagnose.js';
import type { Evidence } from '../../../electron/services/diagnosis/evidence.js';
import { hybridEvidence } from './lab-scenarios.js';

/** The jump hosts of the hybrid lab's machines behind gateways: dc1 through dc-gw, edge1 through edge-gw. */
export const hybridJumps = [
  { name: 'dc1', jump: [{ user: 'root', host: 'dc-gw', port: 22 }] },
  { name: 'edge1', jump: [{ user: 'root', host: 'edge-gw', port: 22 }] },
];

/** The diagnosis of the hybrid lab with the mesh up (dc1/edge1 by hole punching), as `diagnosis:run` returns it. */
export function hybridReport(evidence: Evidence = hybridEvidence('up')): DiagnosisReport {
  return report(evidence, 4200, new Date('2026-01-01T00:00:00Z'));
}

/** The hybrid evidence once dc-gw lets UDP 51820 in to dc1: every probe to dc1 arrives. */
export function hybridEvidenceDcOpen(): Evidence {
  const evidence = hybridEvidence('up');
  return { ...evidence, pairs: evidence.pairs.map((p) => (p.to === 'dc1' ? { ...p, udp51820: 'open' } : p)) };
}

const nodes: Array<Pick<MeshNode, 'name' | 'site'>> = [
  { name: 'cloud1', site: 'cloud' },
  { name: 'cloud2', site: 'cloud' },
  { name: 'dc1', site: 'datacenter' },
  { name: 'edge1', site: 'edge' },
];

/** The hybrid lab's mesh view: every pair up. */
export function hybridSnapshot(version = 1): MeshSnapshot {
  const full = nodes.map((n, i) => ({
    ...n,
    role: i === 0 ? 'controlplane' : 'worker',
    health: 100,
    agentReachable: true,
    via: n.name === 'edge1' ? 'ssh-tunnel' : 'direct',
    address: `fd7a:115c:a1e0::${i + 1}`,
    agentVersion: '0.1.0',
    managed: true,
  })) as MeshNode[];
  const cells: PairCode[] = nodes.flatMap((_, from) => nodes.map((__, to) => (from === to ? 3 : 1)));
  return { version, cluster: 'hybrid', nodes: full, cells, clusterHealth: 100, updatedAt: new Date().toISOString() };
}

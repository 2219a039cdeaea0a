import type { ClusterStatus, MeshNode, MeshPatch, MeshSnapshot, PairCode } from '../../../electron/contract/index.js';

/** A reachable cloud node as the mesh view lists it. */
export function meshNode(name: string, patch: Partial<MeshNode> = {}): MeshNode {
  return {
    name,
    site: 'cloud',
    role: 'worker',
    health: 100,
    agentReachable: true,
    via: 'direct',
    address: `fd00::${name.length}`,
    agentVersion: '1.0.0',
    managed: true,
    ...patch,
  };
}

/** A snapshot of `names` with every pair down (self on the diagonal). */
export function meshSnapshot(cluster: string | null, version: number, names: string[]): MeshSnapshot {
  const n = names.length;
  const cells = Array.from({ length: n * n }, (_, i): PairCode => (Math.floor(i / n) === i % n ? 3 : 2));
  return { version, cluster, nodes: names.map((name) => meshNode(name)), cells, clusterHealth: 0, updatedAt: `2026-01-01T00:00:0${version % 10}Z` };
}

/** A patch to `version` setting `cells` and replacing `nodes`. */
export function meshPatch(version: number, cells: Array<[number, PairCode]>, nodes: MeshNode[] = [], clusterHealth = 50): MeshPatch {
  return { version, cells, nodes, clusterHealth, updatedAt: `2026-01-01T00:01:0${version % 10}Z` };
}

/** `spanwise status` of a cluster with `nodes` and no pairs judged yet. */
export function clusterStatus(name: string, nodes: ClusterStatus['nodes'] = []): ClusterStatus {
  return {
    cluster: { name, clusterId: 'id', discovery: 'https://d' },
    nodes,
    health: { score: 100, verdict: 'unknown', counts: { up: 0, fragile: 0, down: 0, unknown: 0 }, pairs: [] },
  };
}

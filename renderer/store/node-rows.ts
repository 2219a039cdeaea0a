import type { ClusterStatus, MeshNode, MachineRole, SiteKind } from '../../electron/contract/index.js';

/** One node as the overview shows it, merged from the mesh view and `status:get`. */
export interface NodeRow {
  name: string;
  site: SiteKind;
  role: MachineRole;
  reachable: boolean;
  via: 'direct' | 'ssh-tunnel' | null;
  version: string | null;
  address: string | null;
  /** 0..100 from the mesh view, else from the peers the node reports. */
  health: number | null;
  peersUp: number;
  peersTotal: number;
  error: string | null;
  /** False for a member Spanwise does not manage (it has no agent; see MeshNode.managed). */
  managed: boolean;
}

/** Merges the two sources: the mesh view (when there is one) decides which nodes there are and wins for live facts; status adds peers and errors. */
export function nodeRows(meshNodes: MeshNode[] | undefined, status: ClusterStatus | null): NodeRow[] {
  const byName = new Map(status?.nodes.map((n) => [n.name, n]) ?? []);
  const names = meshNodes ? meshNodes.map((n) => n.name) : (status?.nodes.map((n) => n.name) ?? []);
  const mesh = new Map(meshNodes?.map((n) => [n.name, n]) ?? []);
  return names.map((name) => {
    const m = mesh.get(name);
    const s = byName.get(name);
    const peersUp = s?.peers.filter((p) => p.state === 'up').length ?? 0;
    const peersTotal = s?.peers.length ?? 0;
    return {
      name,
      site: m?.site ?? s?.site ?? 'cloud',
      role: m?.role ?? s?.role ?? 'worker',
      reachable: m?.agentReachable ?? s?.agent.reachable ?? false,
      via: m?.via ?? s?.agent.via ?? null,
      version: m?.agentVersion ?? s?.agent.version ?? null,
      address: m?.address ?? s?.address ?? null,
      health: m ? m.health : peersTotal ? (100 * peersUp) / peersTotal : null,
      peersUp,
      peersTotal,
      error: s?.agent.error ?? null,
      managed: m?.managed ?? s?.managed ?? true,
    };
  });
}

/** The cluster's score when the mesh view has none: the mean of node scores. */
export function meanHealth(rows: NodeRow[]): number | null {
  const scores = rows.map((r) => r.health).filter((h): h is number => h !== null);
  return scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null;
}

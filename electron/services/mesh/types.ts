import type { MachineRole, SiteKind } from '../../contract/machines.js';
import type { MeshNode } from '../../contract/mesh.js';

/** A node the view is built over: one machine of the cluster. */
export interface MeshNodeInfo {
  name: string;
  site: SiteKind;
  role: MachineRole;
}

/** How the desktop currently reads a node's agent. */
export interface AgentLink {
  reachable: boolean;
  via: MeshNode['via'];
  address: string | null;
  agentVersion: string | null;
}

/**
 * One peer as a node's agent reports it, already validated and mapped to the
 * peer's node index. `lastHandshakeMs` is 0 when there was none.
 */
export interface PeerObservation {
  to: number;
  /** pairCodes: 0 unknown, 1 up, 2 down. */
  state: 0 | 1 | 2;
  endpoint: string | null;
  lastHandshakeMs: number;
  rx: number;
  tx: number;
  reason: string | null;
  /** Round trip through the mesh in ms, as the reporting agent measured it; null when not measured. */
  rttMs: number | null;
}

import type { MachineRole, SiteKind } from '../../contract/machines.js';
import type { AgentVia } from '../../contract/mesh.js';
import type { AgentPeer } from '../agents/agent-view.js';

/** A node the view is built over: one machine of the cluster. */
export interface MeshNodeInfo {
  name: string;
  site: SiteKind;
  role: MachineRole;
  /** False for a member Spanwise does not manage (no agent to watch; see MeshNode.managed); absent means managed. */
  managed?: boolean;
  /** The WireGuard key a member not managed is known by. */
  publicKey?: string;
}

/** How the desktop currently reads a node's agent. */
export interface AgentLink {
  reachable: boolean;
  via: AgentVia | null;
  address: string | null;
  agentVersion: string | null;
}

/**
 * One peer of a node's agent (see AgentPeer), mapped to the peer's node index `to`; `state` is the cell
 * code (`relayed` for a peer up through another node) and `via` the relay's machine name.
 */
export type PeerObservation = Omit<AgentPeer, 'publicKey' | 'label'> & { to: number };

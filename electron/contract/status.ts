import { z } from 'zod';
import type { MachineRole, SiteKind } from './machines.js';
import type { FragileReason, PairCounts } from './health.js';
import type { AgentVia, PairHealthState, PairState } from './mesh.js';

/** A peer as one node sees it (the same states as KubeSpan). */
export interface PeerView {
  /** The peer's node name (its hostname in discovery). */
  name: string;
  publicKey: string;
  /** The agent's state; `fragile` where the health model marks an up pair (then `reasons` says why). */
  state: PairHealthState;
  /** Why the pair is fragile: codes of `fragileReasons` (agent/shared/health-codes.ts). */
  reasons?: FragileReason[];
  endpoint: string | null;
  /** ISO time of the last handshake, or null. */
  lastHandshake: string | null;
  rx: number;
  tx: number;
  /** Round trip to the peer through the mesh in ms, as this node's agent measured it; null when not measured. */
  rttMs: number | null;
  /** Why the agent says what it says (e.g. "no handshake 15s after endpoint change"), or null. */
  reason: string | null;
}

/** One node in `spanwise status`. */
export interface NodeStatus {
  name: string;
  site: SiteKind;
  role: MachineRole;
  /** How the live watch last read the node's agent; `error` says why it is unreachable or not seen yet. */
  agent: { reachable: boolean; via: AgentVia | null; version: string | null; error?: string };
  publicKey: string | null;
  address: string | null;
  peers: PeerView[];
  /**
   * False for a member Spanwise does not manage: it has no agent to ask, so `peers` is empty (its own view is
   * unknown), `agent.reachable` is false without counting as a problem, and `seenBy` holds its columns.
   */
  managed: boolean;
  /** For a member not managed: how each Spanwise node's WireGuard sees it (absent for managed nodes). */
  seenBy?: Array<{ node: string; state: PairState; endpoint: string | null; lastHandshake: string | null }>;
}

/** The whole cluster as `spanwise status --json` prints it. */
export interface ClusterStatus {
  cluster: { name: string; clusterId: string; discovery: string };
  nodes: NodeStatus[];
  /** The health model's verdict (the same the UI and the tray show): score with a fragile pair as half, and pairs by state. */
  health: { score: number; verdict: 'healthy' | 'fragile' | 'down' | 'unknown'; pairs: PairCounts };
}

/** Requests of the status domain. */
export const statusRequests = {
  'status:get': z.object({}).strict(),
};

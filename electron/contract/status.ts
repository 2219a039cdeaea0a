import { z } from 'zod';
import type { MachineRole, SiteKind } from './machines.js';
import type { FragileReason, PairCounts } from './health.js';
import type { AgentVia, PairHealthState, PairState } from './mesh.js';

/** A peer as one node sees it (the same states as KubeSpan). */
export interface PeerView {
  /** The peer's node name (its hostname in discovery). */
  name: string;
  publicKey: string;
  state: PairState;
  endpoint: string | null;
  /** ISO time of the last handshake, or null. */
  lastHandshake: string | null;
  rx: number;
  tx: number;
  /** Round trip to the peer through the mesh in ms, as this node's agent measured it; null when not measured. */
  rttMs: number | null;
  /** Why the agent says what it says (e.g. "no handshake 15s after endpoint change"), or null. */
  reason: string | null;
  /** Present when the pair is relayed (cluster setting `relays`): the node it goes through. */
  via?: string;
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
  /** The health model's word (the same the UI and the tray show; `peers` keep the agents' own states). */
  health: StatusHealth;
}

/** One ordered pair that is not plainly up, as the health model sees it. */
export interface StatusPair {
  from: string;
  to: string;
  state: Exclude<PairHealthState, 'up'>;
  /** For a fragile pair, why: codes of `fragileReasons` (agent/shared/health-codes.ts); empty otherwise. */
  reasons: FragileReason[];
}

/** The health model in `spanwise status`: a fragile pair counts half in the score, and is shown but no failure. */
export interface StatusHealth {
  /** 0..100. */
  score: number;
  verdict: 'healthy' | 'fragile' | 'down' | 'unknown';
  counts: PairCounts;
  /** Every ordered pair between managed nodes that is fragile, down or unknown. */
  pairs: StatusPair[];
}

/** Requests of the status domain. */
export const statusRequests = {
  'status:get': z.object({}).strict(),
};

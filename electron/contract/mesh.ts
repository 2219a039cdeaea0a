import * as z from 'zod';
import { machineNameSchema, type MachineRole, type SiteKind } from './machines.js';

/**
 * State of one ordered pair (from sees to), with KubeSpan's meanings, and `relayed`: up, but through a
 * third mesh node (the agent reports the peer up with `via`, the relay's name) instead of directly.
 */
export const pairStateSchema = z.enum(['unknown', 'up', 'down', 'relayed']);
export type PairState = z.infer<typeof pairStateSchema>;

/**
 * Cell codes of the dense matrix: index `from * n + to`. The mesh view holds
 * what agents report (unknown, up, down, relayed); `fragile` is the health
 * model's overlay on an up pair (electron/contract/health.ts).
 */
export const pairCodes = { unknown: 0, up: 1, down: 2, self: 3, fragile: 4, relayed: 5 } as const;
export type PairCode = (typeof pairCodes)[keyof typeof pairCodes];

/** The code of a state an agent reports for a peer (every code but `self`). */
export type PeerCode = (typeof pairCodes)[PairState];

/** Pair state names by code: `pairStateNames[pairCodes.up]` is 'up'. */
export const pairStateNames: Readonly<Record<PeerCode, PairState>> = {
  [pairCodes.unknown]: 'unknown',
  [pairCodes.up]: 'up',
  [pairCodes.down]: 'down',
  [pairCodes.relayed]: 'relayed',
};

/** The name of a pair code; `self` and codes out of range read as 'unknown'. */
export const pairStateOf = (code: number): PairState => pairStateNames[code as PeerCode] ?? 'unknown';

/** Whether a cell code carries traffic: up directly, fragile (up, with a warning) or relayed. */
export const carriesCode = (code: number): boolean => code === pairCodes.up || code === pairCodes.fragile || code === pairCodes.relayed;

/** A pair as every view shows it: KubeSpan's state, with `fragile` for a pair that is up but would break easily (see `FragilePair`). */
export type PairHealthState = PairState | 'fragile';

/** The shown state of a cell code: `fragile` for the health overlay's code, else as `pairStateOf`. */
export const pairHealthOf = (code: number): PairHealthState => (code === pairCodes.fragile ? 'fragile' : pairStateOf(code));

/** How the desktop reaches an agent's API: TCP 50000 directly, or through an SSH tunnel to the host. */
export const agentViaSchema = z.enum(['direct', 'ssh-tunnel']);
export type AgentVia = z.infer<typeof agentViaSchema>;

/** A node of the mesh view. */
export interface MeshNode {
  name: string;
  site: SiteKind;
  role: MachineRole;
  /** 0..100: share of this node's ordered pairs (both directions) that are up, weighted by agent reachability. */
  health: number;
  agentReachable: boolean;
  /** The agent API path: direct TCP 50000, through SSH, or not at all. */
  via: AgentVia | null;
  address: string | null;
  agentVersion: string | null;
  /**
   * False for a member Spanwise does not manage (a Talos node, or a node onboarded elsewhere), known by its
   * WireGuard key and named by its published hostname: its column is what the Spanwise agents see of it, its
   * own row is never seen (each cell stays `unknown`, shown as "not seen from this side"), its `site` is
   * guessed from the endpoint the agents reach it at (`cloud` for a public address, else `edge`), and its
   * `role` reads `worker` (the agents are not told a member's machine type).
   */
  managed: boolean;
}

/**
 * The whole N x N view. `cells` is row-major (`from * n + to`) with `pairCodes`;
 * details of a pair come from `mesh:pair`, so the matrix stays small at 200 nodes.
 */
export interface MeshSnapshot {
  /** Grows with every change; patches name the version they lead to. */
  version: number;
  /** The cluster the view is of; null when no cluster is selected (then there are no nodes). */
  cluster: string | null;
  nodes: MeshNode[];
  cells: PairCode[];
  /** Every `relayed` cell with its relay node; absent or empty when no pair is relayed. */
  relays?: RelayedCell[];
  clusterHealth: number;
  updatedAt: string;
}

/** A relayed cell (index `from * n + to`) and the name of the node it goes through. */
export type RelayedCell = [index: number, via: string];

/** A change to the view since `version - 1`: changed cells by index, changed nodes by name. */
export interface MeshPatch {
  version: number;
  cells: Array<[index: number, code: PairCode]>;
  /** Present when a relayed cell or its relay changed: every relayed cell of the view, again. */
  relays?: RelayedCell[];
  nodes: MeshNode[];
  clusterHealth: number;
  updatedAt: string;
}

/** One sample of a pair's history. */
export interface PairSample {
  at: string;
  state: PairState;
  /** Bytes per second received / sent by `from` for this peer. */
  rxRate: number;
  txRate: number;
  rttMs: number | null;
}

/** Everything known about one ordered pair. */
export interface PairDetail {
  from: string;
  to: string;
  state: PairState;
  endpoint: string | null;
  lastHandshake: string | null;
  rxRate: number;
  txRate: number;
  rx: number;
  tx: number;
  /** Round trip through the mesh (for a relayed pair: through the relay, both hops). */
  rttMs: number | null;
  /** The relay node's name while the pair is `relayed`, else null. */
  via: string | null;
  /** ISO time the pair went relayed through `via` (as this desktop saw it), else null. */
  relayedSince: string | null;
  /** Why the agent says what it says (e.g. "no handshake 7s after endpoint change"). */
  reason: string | null;
  history: PairSample[];
}

/** Requests of the mesh domain. */
export const meshRequests = {
  'mesh:get': z.object({}).strict(),
  'mesh:pair': z
    .object({
      from: machineNameSchema,
      to: machineNameSchema,
      historyMinutes: z
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 60)
        .default(60),
    })
    .strict(),
};

import { z } from 'zod';
import { problemCodeList, type ProblemCode } from '../../agent/shared/health-codes.js';
import { machineNameSchema } from './machines.js';
import type { PairHealthState } from './mesh.js';

/** Stable codes of findings, from the one registry the agent shares (agent/shared/health-codes.ts); the UI, CLI and docs key on them. */
export const findingCodes: readonly ProblemCode[] = problemCodeList;
export type FindingCode = ProblemCode;

export type Severity = 'info' | 'warning' | 'error';

/** Firewalls Spanwise writes fixes for. */
export type FirewallKind = 'nftables' | 'iptables' | 'ufw' | 'firewalld';

/** What a host fix opens, so the fix runner can apply, persist and revert it by handle or by its own tagged rule. */
export interface FixRule {
  /** Names the fix on its host (e.g. `udp-51820`): its rules carry the comment `spanwise:<id>`; `fix:revert` takes it. */
  id: string;
  protocol: 'tcp' | 'udp';
  port: number;
  /** nftables: `family table chain` of each chain the accept goes into; iptables: the chain; firewalld: the zone. */
  anchors: string[];
  /** firewalld: the rich rule that blocks the port, removed by the fix and added back by its revert. */
  removesRichRule?: string;
  /** ufw: insert the rule first (`ufw insert 1`), when numbered rules exist. */
  insertFirst?: boolean;
}

/** Commands that change one host's firewall, with the commands that undo them. */
export interface HostFix {
  node: string;
  firewall: FirewallKind;
  /** The commands as a person would run them (shown in previews). */
  apply: string[];
  revert: string[];
  /** Present on fixes that open a port: the runner then builds what it runs from this, not from the text above. */
  rule?: FixRule;
  /** Present on a fix that runs on the gateway in front of `node` (one of its jump hosts) rather than on `node` itself. */
  target?: GatewayFixTarget;
  /** With `target`: the forward to add there; the runner plans the commands from the gateway's own ruleset when applying. */
  forward?: GatewayForward;
}

/** A gateway Spanwise reaches as one of a node's jump hosts, where a fix for that node runs. */
export interface GatewayFixTarget {
  kind: 'gateway';
  /** How previews name it, e.g. "gateway dc-gw via jump host". */
  label: string;
  /** The jump host's position in the node's jump list (outermost first). */
  jump: number;
  /** The jump host's address or name, as the machine entry gives it. */
  host: string;
}

/** A port forward a node behind NAT needs on its gateway: traffic to `publicAddress:port` goes to `nodeAddress:port`. */
export interface GatewayForward {
  node: string;
  protocol: 'tcp' | 'udp';
  port: number;
  /** The gateway's public address as the node's outbound traffic shows it. */
  publicAddress: string;
  /** The node's own address behind the gateway. */
  nodeAddress: string;
}

/** How to clear a finding: commands for host firewalls, and/or a change request for what Spanwise cannot reach (a cloud security group, a site gateway). */
export interface Remediation {
  summary: string;
  hostFixes: HostFix[];
  changeRequest: string | null;
  /** The change request as commands for the usual gateways and cloud firewalls (absent when nothing upstream is to change). */
  snippets?: UpstreamSnippet[];
  /** For a pair with no direct path: a relay through a third Spanwise node (absent when none fits). */
  relay?: RelayOffer;
  /** The forward the change request asks of the gateway in front of a node behind NAT, as data (absent otherwise). */
  gateway?: GatewayForward;
}

/** A relay diagnosis offers; applying it adds `{ between, via }` to the cluster setting `relays`. */
export interface RelayOffer {
  between: [string, string];
  via: string;
  /** The offer in words, naming the relay. */
  summary: string;
}

/** Tools an upstream change is written for. */
export type SnippetTool = 'nftables' | 'iptables' | 'aws' | 'gcloud' | 'az';

/** An upstream change as commands for one tool, to copy; placeholders in angle brackets (`<sg-id>`). */
export interface UpstreamSnippet {
  tool: SnippetTool;
  /** Where it runs, e.g. "the gateway in front of dc1 (nftables)". */
  label: string;
  text: string;
}

/**
 * Findings with one root cause, shown as one card: the lead finding (most
 * severe, first in the registry) gives the code and the fix; the others (an
 * INFO that shares the lead's change request, pairs the same block leaves
 * without an inbound end) are folded in.
 */
export interface FindingCause {
  /** The lead finding's id. */
  id: string;
  code: FindingCode;
  severity: Severity;
  /** A plain title, e.g. "dc1 does not accept UDP 51820 from outside its site". */
  title: string;
  /** What it does to the mesh, one line. */
  impact: string;
  /** Every finding folded in, the lead first. */
  findings: string[];
  /** The nodes the lead finding names: where the problem and its fix are (the other ends show in `pairs`). */
  nodes: string[];
  /** Ordered pairs it affects, from to to the end that does not accept. */
  pairs: Array<{ from: string; to: string }>;
  /** The lead's remediation: each change request once. */
  remediation: Remediation;
  /** Evidence of every finding folded in, each sentence once. */
  evidence: string[];
}

/** One diagnosed problem, with its evidence and its fix. */
export interface Finding {
  /** Stable per problem: code plus nodes, e.g. `UDP_51820_INBOUND_BLOCKED:dc1`. */
  id: string;
  code: FindingCode;
  severity: Severity;
  nodes: string[];
  pair: { from: string; to: string } | null;
  port: number | null;
  protocol: 'udp' | 'tcp' | null;
  /** On the host (a local rule, quoted in evidence) or upstream (local rules allow it, probes fail). */
  where: 'host' | 'upstream' | null;
  /** What was observed, as sentences and quoted rules. */
  evidence: string[];
  remediation: Remediation;
}

/** Reachability of one port for every ordered pair; `desktop` is a row of its own for TCP 50000. */
export type ReachabilityMatrix = Record<string, Record<string, 'open' | 'blocked' | 'unknown'>>;

/** How one node's outbound UDP is translated, as the probes saw it. */
export interface NatSummary {
  /** none, port-preserving (hole punching can work), port-changing, random (symmetric), unknown. */
  kind: 'none' | 'port-preserving' | 'port-changing' | 'random' | 'unknown';
  behindNat: boolean | null;
  publicIp: string | null;
  /** "ip:port" as each observer saw the node's datagrams. */
  observed: string[];
}

/** The outcome of a diagnosis run (what `spanwise diagnose --json` prints). */
export interface DiagnosisReport {
  generatedAt: string;
  durationMs: number;
  findings: Finding[];
  /** The findings grouped by root cause, most severe first. */
  causes: FindingCause[];
  /** The top-level matrices are over IPv4; `ipv6` holds the same over IPv6 when any node was probed on an IPv6 address. */
  matrix: { udp51820: ReachabilityMatrix; tcp50000: ReachabilityMatrix; ipv6?: { udp51820: ReachabilityMatrix; tcp50000: ReachabilityMatrix } };
  /** Each node's NAT by name (absent in reports from before it was recorded). */
  nat?: Record<string, NatSummary>;
  /** Members Spanwise does not manage, judged from the Spanwise side only (absent when there are none). */
  notManaged?: NotManagedMember[];
}

/** A member Spanwise does not manage (a Talos node, say), as the diagnosis saw it: a node of the matrices like any other. */
export interface NotManagedMember {
  name: string;
  publicKey: string;
  /** Its published endpoints ("ip:port"). */
  endpoints: string[];
  /** How each Spanwise node's WireGuard sees it. */
  seenBy: Array<{ node: string; state: PairHealthState }>;
  /** What the diagnosis cannot see of it. */
  note: string;
}

/** The outcome of applying a fix. */
export interface FixResult {
  findingId: string;
  applied: boolean;
  /** True when the fix was undone because SSH or the node's mesh was lost within the confirmation window. */
  reverted: boolean;
  cleared: boolean;
  log: string[];
  /** The fix's id on the host, for `fix:revert` (absent for fixes that are plain commands). */
  fixId?: string;
  node?: string;
  /** What changed on the host, in order: the live ruleset, and files its boot loads. */
  changes?: FixChange[];
  /**
   * Whether the change survives a reboot: `persisted` (written where the host's boot loads it, see changes),
   * `firewall` (the firewall keeps it by itself: ufw, firewalld --permanent), `runtime` (lost at the next reboot:
   * see persistNote, and apply again with `persist` to write the boot file).
   */
  persistence?: 'persisted' | 'firewall' | 'runtime';
  /** Why a fix is runtime only, or how it was persisted, in one sentence. */
  persistNote?: string;
  /** The commands that ran on `node`, as the preview showed them. */
  commands?: string[];
  /** What the re-check changed against the diagnosis before the fix (absent when there was none to compare). */
  recheck?: ReportChanges;
}

/** A pair's state as the UDP 51820 matrix shows it: `up` both ways, `fragile` one way only (the other blocked), `down` blocked both ways. */
export type MatrixPairState = 'up' | 'fragile' | 'down' | 'unknown';

/** One reachability cell whose state changed between two diagnoses. */
export interface CellChange {
  port: 'udp51820' | 'tcp50000';
  /** The probing side (`desktop` for the desktop row of TCP 50000). */
  from: string;
  to: string;
  before: 'open' | 'blocked' | 'unknown';
  after: 'open' | 'blocked' | 'unknown';
}

/** One unordered pair whose state changed between two diagnoses (`a` sorts before `b`). */
export interface PairChange {
  a: string;
  b: string;
  before: MatrixPairState;
  after: MatrixPairState;
}

/** What changed between two diagnoses: the IPv4 matrix cells and the pair states, in row and name order. */
export interface ReportChanges {
  cells: CellChange[];
  pairs: PairChange[];
}

/** One change a fix made or undid on a host. */
export interface FixChange {
  /** `runtime`: the live ruleset; `persisted`: a file the host's boot loads. */
  kind: 'runtime' | 'persisted';
  action: 'added' | 'removed';
  /** What, e.g. `rule inet filter input handle 7` or `/etc/nftables.d/spanwise.nft`. */
  what: string;
}

/** The outcome of reverting an applied fix. */
export interface FixRevertResult {
  node: string;
  fixId: string;
  /** True when nothing of the fix is left on the host (live rules and persisted lines). */
  reverted: boolean;
  changes: FixChange[];
  log: string[];
  /** What the diagnosis run after the revert changed against the one before it (absent when either is missing). */
  recheck?: ReportChanges;
}

/** Requests of the diagnosis domain. */
export const diagnosisRequests = {
  'diagnosis:run': z.object({}).strict(),
  'diagnosis:last': z.object({}).strict(),
  'fix:preview': z.object({ findingId: z.string().min(1).max(300) }).strict(),
  'fix:apply': z
    .object({
      findingId: z.string().min(1).max(300),
      node: machineNameSchema.optional(),
      confirmSeconds: z.number().int().min(5).max(600).default(30),
      /** Where the host has no boot file for its firewall, create one (nftables/iptables) so the fix survives a reboot. */
      persist: z.boolean().default(false),
    })
    .strict(),
  'fix:revert': z
    .object({
      node: machineNameSchema,
      fixId: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'fixId is the id a fix result names, e.g. udp-51820')
        .max(40),
    })
    .strict(),
};

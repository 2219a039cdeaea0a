import { z } from 'zod';
import { problemCodeList, type ProblemCode } from '../../agent/shared/health-codes.js';
import { machineNameSchema } from './machines.js';

/** Stable codes of findings, from the one registry the agent shares (agent/shared/health-codes.ts); the UI, CLI and docs key on them. */
export const findingCodes: readonly ProblemCode[] = problemCodeList;
export type FindingCode = ProblemCode;

export type Severity = 'info' | 'warning' | 'error';

/** Firewalls Spanwise writes fixes for. */
export type FirewallKind = 'nftables' | 'iptables' | 'ufw' | 'firewalld';

/** Commands that change one host's firewall, with the commands that undo them. */
export interface HostFix {
  node: string;
  firewall: FirewallKind;
  apply: string[];
  revert: string[];
}

/** How to clear a finding: commands for host firewalls, and/or a change request for what Spanwise cannot reach (a cloud security group, a site gateway). */
export interface Remediation {
  summary: string;
  hostFixes: HostFix[];
  changeRequest: string | null;
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

/** The outcome of a diagnosis run (what `spanwise diagnose --json` prints). */
export interface DiagnosisReport {
  generatedAt: string;
  durationMs: number;
  findings: Finding[];
  /** The top-level matrices are over IPv4; `ipv6` holds the same over IPv6 when any node was probed on an IPv6 address. */
  matrix: { udp51820: ReachabilityMatrix; tcp50000: ReachabilityMatrix; ipv6?: { udp51820: ReachabilityMatrix; tcp50000: ReachabilityMatrix } };
}

/** The outcome of applying a fix. */
export interface FixResult {
  findingId: string;
  applied: boolean;
  /** True when the fix was undone because SSH or the node's mesh was lost within the confirmation window. */
  reverted: boolean;
  cleared: boolean;
  log: string[];
}

/** Requests of the diagnosis domain. */
export const diagnosisRequests = {
  'diagnosis:run': z.object({}).strict(),
  'diagnosis:last': z.object({}).strict(),
  'fix:preview': z.object({ findingId: z.string().min(1).max(300) }).strict(),
  'fix:apply': z
    .object({ findingId: z.string().min(1).max(300), node: machineNameSchema.optional(), confirmSeconds: z.number().int().min(5).max(600).default(30) })
    .strict(),
};

import type { DiagnosisReport, Finding, ReachabilityMatrix, Severity } from '../../contract/diagnosis.js';
import { findingCodes } from '../../contract/diagnosis.js';
import { groupCauses } from './causes.js';
import { DiagnosisContext, type Family } from './context.js';
import type { Evidence, Reach } from './evidence.js';
import { addressRule } from './rules/addresses.js';
import { agentHealthRule } from './rules/agent-health.js';
import { clockRule } from './rules/clock.js';
import { duplicateAddressRule } from './rules/duplicate-address.js';
import { egressRule } from './rules/egress.js';
import { ipv6Rule } from './rules/ipv6.js';
import { privateEndpointsRule } from './rules/private-endpoints.js';
import { rpFilterRule } from './rules/rp-filter.js';
import { staleKeyRule } from './rules/stale-key.js';
import { behindNatRule } from './rules/behind-nat.js';
import { discoveryRule } from './rules/discovery.js';
import { mtuRule } from './rules/mtu.js';
import { pairInboundRule } from './rules/pair-inbound.js';
import { peerDownRule } from './rules/peer-down.js';
import { tcpApiRule } from './rules/tcp-api.js';
import { udpInboundRule } from './rules/udp-inbound.js';
import { notManagedReport } from './gather/not-managed.js';

/** The desktop's rules first: where an agent's warning (agentHealthRule, last) says the same, the desktop's finding is kept. */
const rules = [
  udpInboundRule,
  egressRule,
  tcpApiRule,
  ipv6Rule,
  pairInboundRule,
  behindNatRule,
  peerDownRule,
  duplicateAddressRule,
  staleKeyRule,
  rpFilterRule,
  privateEndpointsRule,
  mtuRule,
  addressRule,
  discoveryRule,
  clockRule,
  agentHealthRule,
];
const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Every finding the evidence supports, most severe first, then by code and id. Pure. */
export function diagnose(evidence: Evidence): Finding[] {
  const ctx = new DiagnosisContext(evidence);
  const byId = new Map<string, Finding>();
  for (const f of rules.flatMap((rule) => rule(ctx))) if (!byId.has(f.id)) byId.set(f.id, f);
  return [...byId.values()].sort(
    (a, b) => rank[a.severity] - rank[b.severity] || findingCodes.indexOf(a.code) - findingCodes.indexOf(b.code) || a.id.localeCompare(b.id),
  );
}

/**
 * The reachability matrices: UDP 51820 for every ordered pair; TCP 50000 with
 * a `desktop` row; over IPv4, and the same over IPv6 when any pair was probed
 * over IPv6 (the desktop row there is the tries on IPv6 addresses).
 */
export function reachability(evidence: Evidence): DiagnosisReport['matrix'] {
  const ctx = new DiagnosisContext(evidence);
  const matrices = (family: Family) => {
    const udp: ReachabilityMatrix = {};
    const tcp: ReachabilityMatrix = { desktop: {} };
    for (const from of ctx.names) {
      udp[from] = {};
      tcp[from] = {};
      for (const to of ctx.names) {
        if (from === to) continue;
        (udp[from] as Record<string, Reach>)[to] = ctx.reach('udp51820', from, to, family);
        (tcp[from] as Record<string, Reach>)[to] = ctx.reach('tcp50000', from, to, family);
      }
      const tried = ctx.node(from).apiFromDesktop.filter((t) => t.target.startsWith('[') === (family === 6));
      (tcp.desktop as Record<string, Reach>)[from] = tried.length === 0 ? 'unknown' : tried.some((t) => t.reachable) ? 'open' : 'blocked';
    }
    return { udp51820: udp, tcp50000: tcp };
  };
  const v6 = evidence.pairs.some((p) => p.ipv6 !== null);
  return { ...matrices(4), ...(v6 ? { ipv6: matrices(6) } : {}) };
}

/** A full report from evidence gathered in `durationMs`. */
export function report(evidence: Evidence, durationMs: number, now: Date = new Date()): DiagnosisReport {
  const findings = diagnose(evidence);
  const matrix = reachability(evidence);
  const ctx = new DiagnosisContext(evidence);
  const nat = (name: string, observed: string[]) => {
    const { kind, behindNat, publicIp } = ctx.nat(name);
    return { kind, behindNat, publicIp, observed };
  };
  return {
    generatedAt: now.toISOString(),
    durationMs: Math.round(durationMs),
    findings,
    causes: groupCauses(findings, matrix),
    matrix,
    nat: Object.fromEntries(
      evidence.nodes.map((n) => [
        n.name,
        nat(
          n.name,
          n.nat.map((o) => o.observed),
        ),
      ]),
    ),
    ...notManagedReport(evidence),
  };
}

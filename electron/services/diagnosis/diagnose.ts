import type { DiagnosisReport, Finding, ReachabilityMatrix, Severity } from '../../contract/diagnosis.js';
import { findingCodes } from '../../contract/diagnosis.js';
import { DiagnosisContext } from './context.js';
import type { Evidence, Reach } from './evidence.js';
import { addressRule } from './rules/addresses.js';
import { behindNatRule } from './rules/behind-nat.js';
import { discoveryRule } from './rules/discovery.js';
import { mtuRule } from './rules/mtu.js';
import { pairInboundRule } from './rules/pair-inbound.js';
import { peerDownRule } from './rules/peer-down.js';
import { tcpApiRule } from './rules/tcp-api.js';
import { udpInboundRule } from './rules/udp-inbound.js';

const rules = [udpInboundRule, tcpApiRule, pairInboundRule, behindNatRule, peerDownRule, mtuRule, addressRule, discoveryRule];
const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Every finding the evidence supports, most severe first, then by code and id. Pure. */
export function diagnose(evidence: Evidence): Finding[] {
  const ctx = new DiagnosisContext(evidence);
  return rules
    .flatMap((rule) => rule(ctx))
    .sort((a, b) => rank[a.severity] - rank[b.severity] || findingCodes.indexOf(a.code) - findingCodes.indexOf(b.code) || a.id.localeCompare(b.id));
}

/** The reachability matrices: UDP 51820 for every ordered pair; TCP 50000 with a `desktop` row. */
export function reachability(evidence: Evidence): DiagnosisReport['matrix'] {
  const ctx = new DiagnosisContext(evidence);
  const udp: ReachabilityMatrix = {};
  const tcp: ReachabilityMatrix = { desktop: {} };
  for (const from of ctx.names) {
    udp[from] = {};
    tcp[from] = {};
    for (const to of ctx.names) {
      if (from === to) continue;
      (udp[from] as Record<string, Reach>)[to] = ctx.udp(from, to);
      (tcp[from] as Record<string, Reach>)[to] = ctx.tcp(from, to);
    }
    const tried = ctx.node(from).apiFromDesktop;
    (tcp.desktop as Record<string, Reach>)[from] = tried.length === 0 ? 'unknown' : tried.some((t) => t.reachable) ? 'open' : 'blocked';
  }
  return { udp51820: udp, tcp50000: tcp };
}

/** A full report from evidence gathered in `durationMs`. */
export function report(evidence: Evidence, durationMs: number, now: Date = new Date()): DiagnosisReport {
  return { generatedAt: now.toISOString(), durationMs: Math.round(durationMs), findings: diagnose(evidence), matrix: reachability(evidence) };
}

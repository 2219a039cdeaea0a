import type { DiagnosisReport, Finding, FindingCause, Severity } from '../../contract/diagnosis.js';
import { problemCodes } from '../../../agent/shared/health-codes.js';
import { causeText } from './cause-text.js';

type Pair = { from: string; to: string };

const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Findings with the same change (the same change request, or the same host commands) share a root cause. */
function causeKey(f: Finding): string {
  const { changeRequest, hostFixes } = f.remediation;
  if (changeRequest) return `request:${changeRequest}`;
  if (hostFixes.length > 0) return `host:${hostFixes.map((h) => `${h.node}|${h.apply.join('\n')}`).join('||')}`;
  return `finding:${f.id}`;
}

/** Pairs a finding affects: its own pair, and for a port that does not arrive, each sender the matrix shows blocked towards its node. */
function affectedPairs(f: Finding, matrix: DiagnosisReport['matrix']): Pair[] {
  const pairs: Pair[] = f.pair ? [f.pair] : [];
  const inbound = f.code === 'UDP_51820_INBOUND_BLOCKED' || f.code === 'TCP_50000_UNREACHABLE' || f.code === 'BEHIND_NAT';
  const table = f.protocol === 'udp' ? matrix.udp51820 : f.protocol === 'tcp' ? matrix.tcp50000 : null;
  if (inbound && table)
    for (const node of f.nodes)
      for (const [from, row] of Object.entries(table)) if (from !== 'desktop' && row[node] === 'blocked') pairs.push({ from, to: node });
  return pairs;
}

const unique = <T>(items: T[], key: (item: T) => string): T[] => [...new Map(items.map((item) => [key(item), item])).values()];

/**
 * The findings grouped by root cause, most severe first: one cause per shared
 * change; the lead (most severe, first in the registry) gives the code, title,
 * nodes and fix; evidence and pairs of every finding folded in are kept once.
 */
export function groupCauses(findings: readonly Finding[], matrix: DiagnosisReport['matrix']): FindingCause[] {
  const order = Object.keys(problemCodes);
  const sorted = [...findings].sort((a, b) => rank[a.severity] - rank[b.severity] || order.indexOf(a.code) - order.indexOf(b.code));
  const groups = new Map<string, Finding[]>();
  for (const f of sorted) groups.set(causeKey(f), [...(groups.get(causeKey(f)) ?? []), f]);
  return [...groups.values()].map((members) => {
    const lead = members[0] as Finding;
    const pairs = unique(
      members.flatMap((f) => affectedPairs(f, matrix)),
      (p) => `${p.from}>${p.to}`,
    );
    return {
      id: lead.id,
      code: lead.code,
      severity: lead.severity,
      ...causeText(lead, pairs),
      findings: members.map((f) => f.id),
      nodes: lead.nodes,
      pairs,
      remediation: lead.remediation,
      evidence: [...new Set(members.flatMap((f) => f.evidence))],
    };
  });
}

/** A report with its causes (reports saved before causes existed get them on read). */
export function withCauses(report: Omit<DiagnosisReport, 'causes'> & { causes?: FindingCause[] }): DiagnosisReport {
  return { ...report, causes: report.causes ?? groupCauses(report.findings, report.matrix) };
}

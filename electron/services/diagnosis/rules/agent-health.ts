import { isProblemCode, problemCodes, type ProblemCode } from '../../../../agent/shared/health-codes.js';
import type { Finding, Severity } from '../../../contract/diagnosis.js';
import { finding, type DiagnosisContext } from '../context.js';
import type { NodeEvidence } from '../evidence.js';

const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Agent codes the desktop measures itself, so its own rule decides where it
 * has the measurement: the link MTU (MTU_TOO_LARGE, with the overhead of the
 * family in use), a TCP probe to discovery, the clock against the desktop's,
 * and the node's addresses (LINK_LOCAL_NODE_ADDRESS).
 */
const measured: Partial<Record<ProblemCode, (n: NodeEvidence) => boolean>> = {
  MTU_ABOVE_UNDERLAY: (n) => n.linkMtu !== null,
  DISCOVERY_UNREACHABLE: (n) => n.discovery !== null,
  CLOCK_SKEW: (n) => n.host?.clockOffsetMs !== null && n.host?.clockOffsetMs !== undefined,
  LINK_LOCAL_ADDRESS: (n) => n.addresses.length > 0,
};

/** An agent's error stays an error; otherwise a code is shown no more severe than the registry ranks it. */
const severityOf = (code: ProblemCode, reported: Severity): Severity =>
  reported === 'error' || rank[reported] >= rank[problemCodes[code].severity] ? reported : problemCodes[code].severity;

/**
 * The health warnings each agent publishes, as findings of the same code
 * (agent/shared/health-codes.ts): one per node and code, with the agent's
 * text and evidence, at the most severe of its warnings. A code the registry
 * does not know (a newer agent) becomes AGENT_HEALTH_WARNING. What the
 * desktop measures itself is left to its own rules (see `measured`).
 */
export function agentHealthRule(ctx: DiagnosisContext): Finding[] {
  const out: Finding[] = [];
  for (const name of ctx.names) {
    const groups = new Map<ProblemCode, { severity: Severity; evidence: string[] }>();
    const node = ctx.node(name);
    for (const w of node.warnings) {
      const known = isProblemCode(w.code) && problemCodes[w.code].owner === 'agent';
      const code: ProblemCode = known ? (w.code as ProblemCode) : 'AGENT_HEALTH_WARNING';
      if (measured[code]?.(node)) continue;
      const group = groups.get(code) ?? { severity: 'info' as Severity, evidence: [] };
      const severity = severityOf(code, w.severity);
      if (rank[severity] < rank[group.severity]) group.severity = severity;
      const facts = Object.entries(w.evidence).map(([k, v]) => `${k}=${v}`);
      group.evidence.push(`${name}'s agent reports ${w.code}: ${w.text || problemCodes[code].text}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`);
      groups.set(code, group);
    }
    for (const [code, { severity, evidence }] of groups) {
      const entry: { text: string; fix?: string } = problemCodes[code];
      out.push(
        finding(code, severity, [name], {
          evidence,
          remediation: { summary: `${entry.fix ?? `Read ${name}'s agent log.`}`, hostFixes: [], changeRequest: null },
        }),
      );
    }
  }
  return out;
}

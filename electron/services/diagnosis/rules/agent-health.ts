import { isProblemCode, problemCodes, type ProblemCode } from '../../../../agent/shared/health-codes.js';
import type { Finding, Severity } from '../../../contract/diagnosis.js';
import { finding, type DiagnosisContext } from '../context.js';

const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * The health warnings each agent publishes, as findings of the same code
 * (agent/shared/health-codes.ts): one per node and code, with the agent's
 * text and evidence, at the most severe of its warnings. A code the registry
 * does not know (a newer agent) becomes AGENT_HEALTH_WARNING. Where the
 * desktop's own rules raise the same finding, diagnose keeps theirs.
 */
export function agentHealthRule(ctx: DiagnosisContext): Finding[] {
  const out: Finding[] = [];
  for (const name of ctx.names) {
    const groups = new Map<ProblemCode, { severity: Severity; evidence: string[] }>();
    for (const w of ctx.node(name).warnings) {
      const known = isProblemCode(w.code) && problemCodes[w.code].owner === 'agent';
      const code: ProblemCode = known ? (w.code as ProblemCode) : 'AGENT_HEALTH_WARNING';
      const group = groups.get(code) ?? { severity: 'info' as Severity, evidence: [] };
      if (rank[w.severity] < rank[group.severity]) group.severity = w.severity;
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

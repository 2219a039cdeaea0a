import type { FirewallOutputs } from './inspect.js';
import { packetOf } from './iptables.js';
import { parseIptablesSave } from './ipt-parse.js';
import type { Packet } from './ipt-packet.js';
import { ChainWalker } from './ipt-walk.js';
import { allowAll, type PortQuery, type RuleVerdict } from './types.js';
import { parseUfwApps, parseUfwStatus, rowMatch, type UfwStatus } from './ufw-status.js';

type Step = { verdict: 'allow' | 'block'; rule: string | null } | { verdict: 'unknown'; rule: string | null; reason: string } | null;

/** The `### tuple ###` line above a user.rules line: ufw's own record of the rule. */
function tupleAbove(text: string, lineNo: number): string {
  const lines = text.split('\n');
  for (let i = lineNo - 1; i >= 0; i -= 1) if ((lines[i] ?? '').startsWith('### tuple ###')) return (lines[i] as string).trim();
  return (lines[lineNo - 1] ?? '').trim();
}

/** Walks ufw's user chain in user.rules / user6.rules (the rules `ufw allow` and friends write, app profiles already resolved). */
function judgeUserRules(text: string, p: Packet): Step {
  const parsed = parseIptablesSave(text);
  const file = p.family === 'ipv6' ? 'user6.rules' : 'user.rules';
  if (!parsed.ok) return { verdict: 'unknown', rule: null, reason: `/etc/ufw/${file}: ${parsed.reason}` };
  const table = parsed.ruleset.tables.get('filter');
  const chain = `${p.family === 'ipv6' ? 'ufw6' : 'ufw'}-user-${p.direction === 'inbound' ? 'input' : 'output'}`;
  if (!table?.chains.has(chain)) return { verdict: 'unknown', rule: null, reason: `/etc/ufw/${file} has no chain ${chain}` };
  const end = new ChainWalker(table, p).run(chain, { mark: 0, connmark: 0, ct: 'NEW' });
  const quote = (rule: string | null) => {
    const line = rule && [...table.chains.values()].flatMap((c) => c.rules).find((r) => r.line === rule);
    return line ? `ufw (${file}): ${tupleAbove(text, line.lineNo)}` : rule;
  };
  if (end.end === 'return') return null;
  if (end.end === 'accept') return { verdict: 'allow', rule: null };
  if (end.end === 'block') return { verdict: 'block', rule: quote(end.rule) };
  return { verdict: 'unknown', rule: quote(end.rule), reason: `/etc/ufw/${file}: ${end.reason}` };
}

/** Walks the rows of `ufw status verbose` (first match wins), resolving app profiles from applications.d. */
function judgeRows(status: UfwStatus, profiles: Map<string, string[]>, p: Packet, i = 0): Step {
  for (; i < status.rules.length; i += 1) {
    const row = status.rules[i] as (typeof status.rules)[number];
    const hit = rowMatch(row, p, profiles);
    if (hit === false) continue;
    const step: Step = /^(ALLOW|LIMIT)/.test(row.action) ? { verdict: 'allow', rule: null } : { verdict: 'block', rule: `ufw: ${row.line}` };
    if (hit === true) return step;
    const rest = judgeRows(status, profiles, p, i + 1);
    if (rest && rest.verdict === step.verdict) return rest;
    return { verdict: 'unknown', rule: `ufw: ${row.line}`, reason: `cannot tell whether the rule matches: ${hit}` };
  }
  return null;
}

/**
 * Judges a new packet against ufw: its user rules (user.rules / user6.rules
 * when read, else the rows of `ufw status verbose`), then its default policy.
 */
export function judgeUfw(out: FirewallOutputs, q: PortQuery): RuleVerdict {
  const status = parseUfwStatus(out.ufw ?? '');
  if (typeof status === 'string') return { verdict: 'unknown', rule: null, anchors: [], reason: status };
  if (!status.active) return allowAll;
  const hasRules = status.rules.length > 0;
  const p = packetOf(q, out);
  const user = p.family === 'ipv6' ? out.ufwUser6Rules : out.ufwUserRules;
  const step = user !== undefined ? judgeUserRules(user, p) : judgeRows(status, parseUfwApps(out.ufwApps), p);
  if (step?.verdict === 'unknown' && step.rule) return { ...step, reason: `${step.reason} (${step.rule})`, anchors: [], hasRules };
  if (step) return { ...step, anchors: [], hasRules };
  const policy = p.direction === 'inbound' ? status.incoming : status.outgoing;
  if (policy === 'allow') return { verdict: 'allow', rule: null, anchors: [], hasRules };
  const what = `no rule allows ${p.port}/${p.protocol} ${p.direction === 'inbound' ? 'in' : 'out'}`;
  return { verdict: 'block', rule: `ufw: ${status.defaultLine ?? `Default: ${policy}`}; ${what}`, anchors: [], hasRules };
}

/** Whether ufw is active, and whether it has numbered rules (so `ufw insert 1` works). */
export function ufwState(text: string): { active: boolean; hasRules: boolean } {
  const status = parseUfwStatus(text);
  return typeof status === 'string' ? { active: false, hasRules: false } : { active: status.active, hasRules: status.rules.length > 0 };
}

import { items, type FirewalldBlock } from './firewalld-parse.js';
import { parseRichRule, portSpecHas, richMatch } from './firewalld-rich.js';
import type { Packet, Tri } from './ipt-packet.js';

/** How a zone or policy ends for the packet; `continue` only for a policy with target CONTINUE. */
export type ZoneEnd = { end: 'allow' } | { end: 'continue' } | { end: 'block'; rule: string } | { end: 'unknown'; reason: string; rule: string | null };

interface Check {
  test: () => Tri;
  outcome: ZoneEnd;
  quote: string;
}

/** A service's `port/proto` items; null when the service is not known. */
export type ServicePorts = (name: string) => string[] | null;

function richChecks(block: FirewalldBlock, label: string, p: Packet, services: ServicePorts): { pre: Check[]; deny: Check[]; allow: Check[]; post: Check[] } {
  const out = { pre: [] as Array<Check & { prio: number }>, deny: [] as Check[], allow: [] as Check[], post: [] as Array<Check & { prio: number }> };
  for (const text of block.richRules) {
    const quote = `${label}: ${text}`;
    const rule = parseRichRule(text);
    if (typeof rule === 'string') {
      out.pre.push({ prio: -Infinity, test: () => `cannot read the rich rule (${rule})`, outcome: { end: 'unknown', reason: rule, rule: quote }, quote });
      continue;
    }
    if (rule.action !== 'accept' && rule.action !== 'reject' && rule.action !== 'drop') continue;
    const dnat = rule.element?.kind === 'forward-port';
    const outcome: ZoneEnd = dnat
      ? { end: 'unknown', reason: 'a forward-port rule sends the packet to another port or host', rule: quote }
      : rule.action === 'accept'
        ? { end: 'allow' }
        : { end: 'block', rule: quote };
    const check = { prio: rule.priority, test: () => richMatch(rule, p, services), outcome, quote };
    if (rule.priority < 0) out.pre.push(check);
    else if (rule.priority > 0) out.post.push(check);
    else (rule.action === 'accept' ? out.allow : out.deny).push(check);
  }
  const byPrio = (a: { prio: number }, b: { prio: number }) => a.prio - b.prio;
  return { pre: out.pre.sort(byPrio), deny: out.deny, allow: out.allow, post: out.post.sort(byPrio) };
}

function run(checks: Check[], i: number, last: ZoneEnd): ZoneEnd {
  const c = checks[i];
  if (!c) return last;
  const hit = c.test();
  if (hit === false) return run(checks, i + 1, last);
  if (hit === true) return c.outcome;
  const rest = run(checks, i + 1, last);
  if (rest.end === c.outcome.end && rest.end !== 'unknown') return rest;
  return { end: 'unknown', reason: `cannot tell whether the rule matches: ${hit}`, rule: c.quote };
}

/**
 * Judges a zone or policy the way firewalld orders its rules: rich rules with
 * a negative priority, forward ports, deny rich rules, then allow rich rules,
 * services, ports and protocols, then rich rules with a positive priority, then the target.
 */
export function judgeBlock(block: FirewalldBlock, kind: 'zone' | 'policy', p: Packet, services: ServicePorts): ZoneEnd {
  const label = `firewalld ${kind} ${block.name}`;
  const rich = richChecks(block, label, p, services);
  const allow: ZoneEnd = { end: 'allow' };
  const svc = items(block, 'services');
  const ports = items(block, 'ports');
  const checks: Check[] = [
    ...rich.pre,
    ...items(block, 'forward-ports').map((fp) => ({
      test: () => portSpecHas([`${/port=([\d-]+)/.exec(fp)?.[1]}/${/proto=(\w+)/.exec(fp)?.[1]}`], p),
      outcome: { end: 'unknown', reason: `forward-port ${fp} sends the packet to another port or host`, rule: `${label}: forward-ports: ${fp}` } as ZoneEnd,
      quote: `${label}: forward-ports: ${fp}`,
    })),
    ...rich.deny,
    ...rich.allow,
    ...svc.map((name) => {
      const known = services(name);
      return {
        test: (): Tri => (known === null ? `service ${name} is not known` : portSpecHas(known, p)),
        outcome: allow,
        quote: `${label}: services: ${name}`,
      };
    }),
    { test: () => portSpecHas(ports, p), outcome: allow, quote: `${label}: ports: ${ports.join(' ')}` },
    { test: () => items(block, 'protocols').includes(p.protocol), outcome: allow, quote: `${label}: protocols: ${p.protocol}` },
    ...items(block, 'source-ports').map((sp) => ({ test: () => `the source port may be ${sp}`, outcome: allow, quote: `${label}: source-ports: ${sp}` })),
    ...rich.post,
  ];
  const target = block.fields.get('target') ?? (kind === 'zone' ? 'default' : 'CONTINUE');
  const what = `no service, port or rich rule allows ${p.port}/${p.protocol}; services: ${svc.join(' ') || 'none'}; ports: ${ports.join(' ') || 'none'}`;
  const last: ZoneEnd =
    target === 'ACCEPT'
      ? allow
      : target === 'CONTINUE'
        ? { end: 'continue' }
        : /^(default|DROP|REJECT|%%REJECT%%)$/.test(target)
          ? { end: 'block', rule: `${label}: target: ${target} (${what})` }
          : { end: 'unknown', reason: `target ${target} is not one firewalld documents`, rule: null };
  return run(checks, 0, last);
}

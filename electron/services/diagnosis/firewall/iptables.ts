import { allowAll, portListHas, type PortQuery, type RuleVerdict } from './types.js';

interface Table {
  policies: Map<string, string>;
  rules: Map<string, string[]>;
}

/** Parses `iptables-save` output: the filter table's chains, policies and rules in order. */
export function parseIptablesSave(text: string): Table | null {
  let inFilter = false;
  let table: Table | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) {
      inFilter = line === '*filter';
      if (inFilter) table = { policies: new Map(), rules: new Map() };
      continue;
    }
    if (!inFilter || !table) continue;
    const policy = /^:(\S+)\s+(\S+)/.exec(line);
    if (policy) {
      table.policies.set(policy[1] as string, policy[2] as string);
      table.rules.set(policy[1] as string, []);
    } else if (line.startsWith('-A ')) {
      const chain = line.split(/\s+/)[1] as string;
      const list = table.rules.get(chain) ?? [];
      list.push(line);
      table.rules.set(chain, list);
    }
  }
  return table;
}

function tokens(rule: string): string[] {
  return [...rule.matchAll(/"[^"]*"|\S+/g)].map((m) => m[0].replace(/^"|"$/g, ''));
}

function judge(rule: string, q: PortQuery): { match: boolean; target: string | null; goto: boolean } {
  const t = tokens(rule);
  let match = true;
  let target: string | null = null;
  let goto = false;
  for (let i = 2; i < t.length; i += 1) {
    const neg = t[i] === '!';
    const k = neg ? i + 1 : i;
    const opt = t[k];
    const value = t[k + 1] ?? '';
    const step = () => (i = k + 1);
    if (opt === '-p' || opt === '--protocol') {
      const hit = value === q.protocol || value === 'all';
      if (neg ? hit : !hit) match = false;
      step();
    } else if (opt === '--dport' || opt === '--destination-port' || opt === '--dports' || opt === '--destination-ports') {
      const hit = portListHas(value, q.port);
      if (neg ? hit : !hit) match = false;
      step();
    } else if (opt === '-i' || opt === '--in-interface') {
      if (!neg && value === 'lo') match = false;
      step();
    } else if (opt === '-s' || opt === '--source' || opt === '--sport' || opt === '--source-port' || opt === '--src-type') {
      if (!(opt === '-s' && !neg && (value === '0.0.0.0/0' || value === '::/0'))) match = false;
      step();
    } else if (opt === '--ctstate' || opt === '--state') {
      const hasNew = value.split(',').includes('NEW');
      if (neg ? hasNew : !hasNew) match = false;
      step();
    } else if (opt === '-j' || opt === '-g') {
      target = value;
      goto = opt === '-g';
      step();
    } else if (opt === '--comment' || opt === '-m') {
      step();
    }
  }
  return { match, target, goto };
}

function walk(table: Table, chain: string, q: PortQuery, depth: number): { end: 'accept' | 'block' | 'fallthrough'; rule: string | null; chain: string } {
  for (const rule of table.rules.get(chain) ?? []) {
    const { match, target, goto } = judge(rule, q);
    if (!match || !target) continue;
    if (target === 'ACCEPT') return { end: 'accept', rule: null, chain };
    if (target === 'DROP' || target === 'REJECT') return { end: 'block', rule, chain };
    if (target === 'RETURN') return { end: 'fallthrough', rule: null, chain };
    if (table.rules.has(target) && depth < 10) {
      const inner = walk(table, target, q, depth + 1);
      if (inner.end !== 'fallthrough') return inner;
      if (goto) return { end: 'fallthrough', rule: null, chain };
    }
  }
  return { end: 'fallthrough', rule: null, chain };
}

/** Judges a new inbound packet against the filter table's INPUT chain (following jumps, e.g. ufw's and Docker's chains). */
export function judgeIptables(save: string, q: PortQuery): RuleVerdict {
  const table = parseIptablesSave(save);
  if (!table || !table.policies.has('INPUT')) return allowAll;
  const result = walk(table, 'INPUT', q, 0);
  if (result.end === 'block') return { verdict: 'block', rule: `${result.rule}${/DOCKER/.test(result.chain) ? " (Docker's chain)" : ''}`, anchors: ['INPUT'] };
  if (result.end === 'fallthrough' && table.policies.get('INPUT') !== 'ACCEPT')
    return { verdict: 'block', rule: `:INPUT ${table.policies.get('INPUT')} (policy; no rule accepts ${q.protocol} dport ${q.port})`, anchors: ['INPUT'] };
  return { verdict: 'allow', rule: null, anchors: [] };
}

/** Whether Docker's chains are in the ruleset. */
export function hasDockerChains(save: string): boolean {
  return /^:DOCKER(-USER|-FORWARD|-ISOLATION)?\b/m.test(save) || /chain DOCKER/.test(save);
}

/** Whether the ruleset filters anything inbound (rules in INPUT or a non-ACCEPT policy). */
export function iptablesFilters(save: string): boolean {
  const table = parseIptablesSave(save);
  return !!table && ((table.rules.get('INPUT')?.length ?? 0) > 0 || (table.policies.get('INPUT') ?? 'ACCEPT') !== 'ACCEPT');
}

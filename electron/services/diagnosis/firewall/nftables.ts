import { allowAll, portListHas, type PortQuery, type RuleVerdict } from './types.js';

interface Chain {
  family: string;
  table: string;
  name: string;
  hook: string | null;
  type: string | null;
  priority: number;
  policy: 'accept' | 'drop';
  rules: string[];
}

const PRIORITIES: Record<string, number> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };

function parsePriority(text: string): number {
  const m = /^(\w+|-?\d+)\s*(?:([+-])\s*(\d+))?$/.exec(text.trim());
  if (!m) return 0;
  const base = /^-?\d+$/.test(m[1] as string) ? Number(m[1]) : (PRIORITIES[m[1] as string] ?? 0);
  return m[2] ? base + (m[2] === '-' ? -1 : 1) * Number(m[3]) : base;
}

/** Parses `nft -a list ruleset` into chains (sets, maps and flowtables are skipped). */
export function parseNftRuleset(text: string): Chain[] {
  const chains: Chain[] = [];
  let table: { family: string; name: string } | null = null;
  let chain: Chain | null = null;
  let skipDepth = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (skipDepth > 0) {
      skipDepth += (line.match(/{/g) ?? []).length - (line.match(/}/g) ?? []).length;
      continue;
    }
    const tableMatch = /^table\s+(\w+)\s+(\S+)\s*{/.exec(line);
    if (tableMatch) {
      table = { family: tableMatch[1] as string, name: tableMatch[2] as string };
      continue;
    }
    if (!table) continue;
    const chainMatch = /^chain\s+(\S+)\s*{/.exec(line);
    if (chainMatch && !chain) {
      chain = { family: table.family, table: table.name, name: chainMatch[1] as string, hook: null, type: null, priority: 0, policy: 'accept', rules: [] };
      continue;
    }
    if (!chain && /^(set|map|flowtable|counter|quota|ct|limit|secmark|synproxy)\s/.test(line) && line.endsWith('{')) {
      skipDepth = 1;
      continue;
    }
    if (line === '}') {
      if (chain) {
        chains.push(chain);
        chain = null;
      } else table = null;
      continue;
    }
    if (!chain) continue;
    const header = /^type\s+(\w+)\s+hook\s+(\w+)(?:\s+device\s+\S+)?\s+priority\s+([^;]+);(?:\s*policy\s+(\w+);)?/.exec(line);
    if (header) {
      chain.type = header[1] as string;
      chain.hook = header[2] as string;
      chain.priority = parsePriority(header[3] as string);
      chain.policy = header[4] === 'drop' ? 'drop' : 'accept';
      continue;
    }
    chain.rules.push(line);
  }
  return chains;
}

function tokenize(rule: string): string[] {
  const tokens: string[] = [];
  const re = /"[^"]*"|{[^}]*}|\S+/g;
  for (const m of rule.replace(/\s#\s.*$/, '').matchAll(re)) tokens.push(m[0]);
  return tokens;
}

const setItems = (value: string) =>
  value
    .replace(/^{|}$/g, '')
    .replace(/"/g, '')
    .split(/[,\s]+/)
    .filter(Boolean);

type RuleEffect = { match: boolean; verdict: string | null; target: string | null };

/** Judges one rule for the query: whether it matches a new packet from anywhere, and its verdict. */
function judge(rule: string, q: PortQuery): RuleEffect {
  const t = tokenize(rule);
  let match = true;
  let verdict: string | null = null;
  let target: string | null = null;
  for (let i = 0; i < t.length; i += 1) {
    const word = t[i] as string;
    const neg = t[i + 2] === '!=' ? 1 : 0;
    const valueAt = (k: number) => (t[k] === '!=' ? (t[k + 1] ?? '') : (t[k] ?? ''));
    if (word === 'ct' && t[i + 1] === 'state') {
      const v = setItems(valueAt(i + 2));
      const hasNew = v.includes('new');
      if (neg ? hasNew : !hasNew) match = false;
      i += 2 + neg;
    } else if (word === 'ct' && t[i + 1] === 'status') {
      if (!neg) match = false;
      i += 2 + neg;
    } else if (word === 'iif' || word === 'iifname') {
      const neg1 = t[i + 1] === '!=' ? 1 : 0;
      const v = setItems(valueAt(i + 1));
      const isLo = v.includes('lo');
      if (neg1 ? false : isLo) match = false;
      i += 1 + neg1;
    } else if (word === 'meta' && (t[i + 1] === 'l4proto' || t[i + 1] === 'iifname' || t[i + 1] === 'iif')) {
      const v = setItems(valueAt(i + 2));
      if (t[i + 1] === 'l4proto') {
        const has = v.includes(q.protocol);
        if (neg ? has : !has) match = false;
      } else if (!neg && v.includes('lo')) match = false;
      i += 2 + neg;
    } else if ((word === 'ip' || word === 'ip6') && (t[i + 1] === 'protocol' || t[i + 1] === 'nexthdr')) {
      const has = setItems(valueAt(i + 2)).includes(q.protocol);
      if (neg ? has : !has) match = false;
      i += 2 + neg;
    } else if ((word === 'ip' || word === 'ip6') && t[i + 1] === 'saddr') {
      match = false;
      i += 2 + neg;
    } else if (word === 'tcp' || word === 'udp' || word === 'th') {
      if (word !== 'th' && word !== q.protocol) match = false;
      const field = t[i + 1];
      if (field === 'dport') {
        const has = portListHas(setItems(valueAt(i + 2)).join(','), q.port);
        if (neg ? has : !has) match = false;
        i += 2 + neg;
      } else if (field === 'sport') {
        match = false;
        i += 2 + neg;
      } else i += 1;
    } else if (word === 'icmp' || word === 'icmpv6') {
      match = false;
    } else if (word === 'accept' || word === 'drop' || word === 'return') {
      verdict = word;
    } else if (word === 'reject') {
      verdict = 'reject';
      break;
    } else if (word === 'jump' || word === 'goto') {
      verdict = word;
      target = t[i + 1] ?? null;
      i += 1;
    } else if (word === 'comment') {
      i += 1;
    }
  }
  return { match, verdict, target };
}

const quote = (c: Chain, rule: string) => `table ${c.family} ${c.table} chain ${c.name}: ${rule}`;

function walk(chains: Chain[], c: Chain, q: PortQuery, depth: number): { end: 'accept' | 'block' | 'return' | 'fallthrough'; rule: string | null } {
  for (const rule of c.rules) {
    const e = judge(rule, q);
    if (!e.match || !e.verdict) continue;
    if (e.verdict === 'accept') return { end: 'accept', rule: null };
    if (e.verdict === 'drop' || e.verdict === 'reject') return { end: 'block', rule: quote(c, rule) };
    if (e.verdict === 'return') return { end: 'return', rule: null };
    const next = chains.find((x) => x.family === c.family && x.table === c.table && x.name === e.target);
    if (!next || depth > 8) continue;
    const inner = walk(chains, next, q, depth + 1);
    if (inner.end === 'accept' || inner.end === 'block') return inner;
    if (e.verdict === 'goto') return { end: 'return', rule: null };
  }
  return { end: 'fallthrough', rule: null };
}

const familyCovers = (family: string) => family === 'inet' || family === 'ip' || family === 'ip6' || family === 'netdev';

/**
 * Judges a new inbound packet against every filter base chain on the input
 * and prerouting hooks, in priority order: an accept ends only its own chain,
 * a drop or reject anywhere blocks. Rules limited to some source addresses are
 * not counted (they neither open nor close the port for everyone).
 */
export function judgeNftables(ruleset: string, q: PortQuery): RuleVerdict {
  const chains = parseNftRuleset(ruleset);
  const base = chains
    .filter((c) => c.type === 'filter' && (c.hook === 'input' || c.hook === 'prerouting') && familyCovers(c.family) && c.family !== 'ip6')
    .sort((a, b) => a.priority - b.priority);
  if (base.length === 0) return allowAll;
  for (const c of base) {
    const result = walk(chains, c, q, 0);
    if (result.end === 'block') return { verdict: 'block', rule: result.rule, anchors: [`${c.family} ${c.table} ${c.name}`] };
    if ((result.end === 'fallthrough' || result.end === 'return') && c.policy === 'drop') {
      return {
        verdict: 'block',
        rule: `table ${c.family} ${c.table} chain ${c.name}: policy drop (no rule accepts ${q.protocol} dport ${q.port})`,
        anchors: [`${c.family} ${c.table} ${c.name}`],
      };
    }
  }
  return { verdict: 'allow', rule: null, anchors: [] };
}

import { allowAll, portListHas, type PortQuery, type RuleVerdict } from './types.js';

/** Parsed `ufw status verbose`. */
export interface UfwStatus {
  active: boolean;
  defaultIncoming: string;
  rules: Array<{ to: string; action: string; from: string; line: string }>;
}

/** Parses `ufw status verbose`. */
export function parseUfw(text: string): UfwStatus {
  const active = /^Status:\s*active/m.test(text);
  const defaultIncoming = /^Default:\s*(\w+)\s*\(incoming\)/m.exec(text)?.[1] ?? 'deny';
  const rules: UfwStatus['rules'] = [];
  let inRules = false;
  for (const line of text.split('\n')) {
    if (/^--\s+-+/.test(line.trim())) {
      inRules = true;
      continue;
    }
    if (!inRules || !line.trim()) continue;
    const cols = line.trim().split(/\s{2,}/);
    if (cols.length >= 3) rules.push({ to: cols[0] as string, action: cols[1] as string, from: cols[2] as string, line: line.trim() });
  }
  return { active, defaultIncoming, rules };
}

function toMatches(to: string, q: PortQuery): boolean {
  const spec = to.replace(/\s*\(v6\)$/, '').replace(/\s+on\s+\S+$/, '');
  if (spec === 'Anywhere') return true;
  const m = /^(?:\S+\s+)?([\d,:]+)(?:\/(tcp|udp))?$/.exec(spec);
  return !!m && (!m[2] || m[2] === q.protocol) && portListHas(m[1] as string, q.port);
}

/** Judges a new inbound packet against ufw's rules (IPv4, first match wins), then its default incoming policy. */
export function judgeUfw(text: string, q: PortQuery): RuleVerdict {
  const status = parseUfw(text);
  if (!status.active) return allowAll;
  const hasRules = status.rules.length > 0;
  for (const rule of status.rules) {
    if (/\(v6\)/.test(rule.to) || !/\bIN\b|^(ALLOW|DENY|REJECT|LIMIT)$/.test(rule.action)) continue;
    if (!/^Anywhere/.test(rule.from) || !toMatches(rule.to, q)) continue;
    if (/^(ALLOW|LIMIT)/.test(rule.action)) return { verdict: 'allow', rule: null, anchors: [], hasRules };
    return { verdict: 'block', rule: `ufw: ${rule.line}`, anchors: [], hasRules };
  }
  if (status.defaultIncoming === 'allow') return { verdict: 'allow', rule: null, anchors: [], hasRules };
  return { verdict: 'block', rule: `ufw: Default: ${status.defaultIncoming} (incoming), and no rule allows ${q.port}/${q.protocol}`, anchors: [], hasRules };
}

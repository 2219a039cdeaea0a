import { addressMatch, type Packet, type Tri } from './ipt-packet.js';
import { portListHas } from './types.js';

/** A firewalld rich rule read as data. */
export interface RichRule {
  text: string;
  priority: number;
  family: 'ipv4' | 'ipv6' | null;
  source: { not: boolean; kind: string; value: string } | null;
  destination: { not: boolean; kind: string; value: string } | null;
  element: { kind: string; attrs: Record<string, string> } | null;
  action: 'accept' | 'reject' | 'drop' | 'mark' | null;
}

const ELEMENTS = new Set(['service', 'port', 'protocol', 'icmp-block', 'icmp-type', 'forward-port', 'source-port', 'masquerade', 'tcp-mss-clamp']);
const LOGGERS = new Set(['log', 'nflog', 'audit', 'limit']);

/** Parses a rich rule (`man firewalld.richlanguage`); a word it does not know makes it an error naming the word. */
export function parseRichRule(text: string): RichRule | string {
  const tokens: Array<{ key: string; value: string } | { word: string }> = [...text.matchAll(/([a-z][a-z-]*)=(?:"([^"]*)"|'([^']*)')|(\S+)/g)].map((m) =>
    m[1] ? { key: m[1], value: m[2] ?? m[3] ?? '' } : { word: m[4] as string },
  );
  const rule: RichRule = { text, priority: 0, family: null, source: null, destination: null, element: null, action: null };
  let part: 'none' | 'source' | 'destination' | 'element' | 'log' | 'action' = 'none';
  let not = false;
  for (const t of tokens) {
    if ('word' in t) {
      const w = t.word;
      if (w === 'rule') continue;
      if (w === 'not') not = true;
      else if (w === 'source' || w === 'destination') part = w;
      else if (ELEMENTS.has(w)) {
        rule.element = { kind: w, attrs: {} };
        part = 'element';
      } else if (LOGGERS.has(w)) part = 'log';
      else if (w === 'accept' || w === 'reject' || w === 'drop' || w === 'mark') {
        rule.action = w;
        part = 'action';
      } else return `unknown word "${w}"`;
      continue;
    }
    if (part === 'none' && t.key === 'priority') rule.priority = Number(t.value);
    else if (part === 'none' && t.key === 'family') rule.family = t.value === 'ipv6' ? 'ipv6' : 'ipv4';
    else if (part === 'source' || part === 'destination') {
      rule[part] = { not, kind: t.key, value: t.value };
      not = false;
    } else if (part === 'element' && rule.element) rule.element.attrs[t.key] = t.value;
    else if (part !== 'log' && part !== 'action') return `unexpected ${t.key}="${t.value}"`;
  }
  if (!Number.isFinite(rule.priority)) return 'priority is not a number';
  return rule;
}

/** Whether a `port/proto` list (firewalld's `ports:` items, e.g. `51820/udp`, `50000-50010/tcp`) holds the packet's port. */
export function portSpecHas(specs: string[], p: Packet): boolean {
  return specs.some((spec) => {
    const [ports = '', proto = ''] = spec.split('/');
    return proto === p.protocol && portListHas(ports, p.port);
  });
}

function sideMatch(side: RichRule['source'], role: 'peer' | 'host', p: Packet): Tri {
  if (!side) return true;
  if (side.kind !== 'address') return `${side.kind} ${side.value} is not read`;
  const m = addressMatch(side.value, role, p);
  return typeof m === 'string' || !side.not ? m : !m;
}

/** Whether the rule matches the packet; `services` resolves a service name to its ports (null when unknown). */
export function richMatch(rule: RichRule, p: Packet, services: (name: string) => string[] | null): Tri {
  if (rule.family && rule.family !== p.family) return false;
  const peerIsSource = p.direction === 'inbound';
  const src = sideMatch(rule.source, peerIsSource ? 'peer' : 'host', p);
  const dst = sideMatch(rule.destination, peerIsSource ? 'host' : 'peer', p);
  if (src === false || dst === false) return false;
  const el = rule.element;
  let hit: Tri = true;
  if (el?.kind === 'service') {
    const ports = services(el.attrs.name ?? '');
    hit = ports === null ? `service ${el.attrs.name} is not known` : portSpecHas(ports, p);
  } else if (el?.kind === 'port' || el?.kind === 'forward-port') hit = portSpecHas([`${el.attrs.port}/${el.attrs.protocol}`], p);
  else if (el?.kind === 'protocol') hit = el.attrs.value === p.protocol;
  else if (el?.kind === 'source-port') hit = `the source port may be ${el.attrs.port}/${el.attrs.protocol}`;
  else if (el) hit = false;
  if (hit === false) return false;
  return typeof src === 'string' ? src : typeof dst === 'string' ? dst : hit;
}

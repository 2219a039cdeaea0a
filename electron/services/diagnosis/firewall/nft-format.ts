import { single } from './nft-packet.js';
import type { NftExpr, NftRule } from './nft-schema.js';

const MAX_QUOTE = 600;
const BARE_META = new Set(['iif', 'oif', 'iifname', 'oifname', 'iiftype', 'oiftype', 'skuid', 'skgid']);
const IFNAME = new Set(['iif', 'oif', 'iifname', 'oifname']);
const DEFAULT_REJECT: Record<string, string> = { inet: 'icmpx', ip: 'icmp', ip6: 'icmpv6' };
const field = (o: unknown, key: string): unknown => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[key] : undefined);
const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v));
const hex = (v: unknown) => (typeof v === 'number' ? `0x${v.toString(16).padStart(8, '0')}` : value(v, false));

function value(e: unknown, quote: boolean): string {
  if (typeof e === 'string') return quote && !e.startsWith('@') ? `"${e}"` : e;
  if (typeof e === 'number' || typeof e === 'boolean') return String(e);
  if (Array.isArray(e)) return e.map((x) => value(x, quote)).join(',');
  const s = single(e);
  if (!s) return JSON.stringify(e);
  const [kind, body] = s;
  if (kind === 'set')
    return `{ ${(Array.isArray(body) ? body : [body]).map((x) => (Array.isArray(x) ? `${value(x[0], quote)} : ${statement(x[1])}` : value(x, quote))).join(', ')} }`;
  if (kind === 'prefix') return `${str(field(body, 'addr'))}/${str(field(body, 'len'))}`;
  if (kind === 'range' && Array.isArray(body)) return `${value(body[0], quote)}-${value(body[1], quote)}`;
  if (kind === 'concat' && Array.isArray(body)) return body.map((x) => value(x, quote)).join(' . ');
  if (kind === 'elem') return value(field(body, 'val'), quote);
  return expr(e);
}

/** Text of an expression as nft prints it (the common forms; others as JSON). */
function expr(e: NftExpr): string {
  const s = single(e);
  if (!s) return value(e, false);
  const [kind, body] = s;
  if (kind === 'payload') return `${str(field(body, 'protocol'))} ${str(field(body, 'field'))}`;
  if (kind === 'meta') return BARE_META.has(str(field(body, 'key'))) ? str(field(body, 'key')) : `meta ${str(field(body, 'key'))}`;
  if (kind === 'ct') return `ct ${field(body, 'dir') === undefined ? '' : `${str(field(body, 'dir'))} `}${str(field(body, 'key'))}`;
  if (kind === 'fib')
    return `fib ${(Array.isArray(field(body, 'flags')) ? (field(body, 'flags') as unknown[]) : []).map(str).join(' . ')} ${str(field(body, 'result'))}`;
  if ((kind === '&' || kind === '|' || kind === '^') && Array.isArray(body)) return `${expr(body[0])} ${kind === '^' ? 'xor' : kind} ${hex(body[1])}`;
  if (kind === 'concat' && Array.isArray(body)) return body.map(expr).join(' . ');
  return JSON.stringify(e);
}

function match(body: unknown): string {
  const left = field(body, 'left');
  const op = str(field(body, 'op'));
  const key = str(field(single(left)?.[1], 'key'));
  const quote = single(left)?.[0] === 'meta' && IFNAME.has(key);
  const binop = ['&', '|', '^'].includes(single(left)?.[0] ?? '');
  const right = binop ? hex(field(body, 'right')) : value(field(body, 'right'), quote);
  const shown = op === 'in' || (op === '==' && !binop) ? '' : `${op} `;
  return `${expr(left)} ${shown}${right}`;
}

function limit(body: unknown): string {
  const burst = field(body, 'burst');
  const unit = field(body, 'rate_unit');
  const rate = `${str(field(body, 'rate'))}${unit && unit !== 'packets' ? ` ${str(unit)}` : ''}/${str(field(body, 'per'))}`;
  return `limit rate ${field(body, 'inv') === true ? 'over ' : ''}${rate}${burst !== undefined && burst !== 5 && burst !== 0 ? ` burst ${str(burst)} packets` : ''}`;
}

function statement(e: NftExpr, family = ''): string {
  const s = single(e);
  if (!s) return JSON.stringify(e);
  const [kind, body] = s;
  if (body === null) return kind;
  if (kind === 'match') return match(body);
  if (kind === 'jump' || kind === 'goto') return `${kind} ${str(field(body, 'target'))}`;
  if (kind === 'reject') {
    const type = field(body, 'type');
    const code = field(body, 'expr');
    const plain = type === undefined || (code === 'port-unreachable' && DEFAULT_REJECT[family] === type);
    return plain ? 'reject' : `reject with ${str(type)}${code === undefined ? '' : ` ${str(code)}`}`;
  }
  if (kind === 'vmap') {
    const data = field(body, 'data');
    return `${expr(field(body, 'key'))} vmap ${typeof data === 'string' ? data : value(data, false)}`;
  }
  if (kind === 'counter') return `counter packets ${str(field(body, 'packets'))} bytes ${str(field(body, 'bytes'))}`;
  if (kind === 'log') return field(body, 'prefix') === undefined ? 'log' : `log prefix "${str(field(body, 'prefix'))}"`;
  if (kind === 'limit') return limit(body);
  if ((kind === 'dnat' || kind === 'snat') && field(body, 'addr') !== undefined) {
    const fam = field(body, 'family');
    const port = field(body, 'port');
    return `${kind}${fam === undefined ? '' : ` ${str(fam)}`} to ${value(field(body, 'addr'), false)}${port === undefined ? '' : `:${str(port)}`}`;
  }
  return JSON.stringify(e);
}

/** A rule as nft prints it, with its comment and handle: `udp dport 51820 drop comment "x" # handle 7`. */
export function formatRule(rule: NftRule): string {
  const text = rule.expr.map((e) => statement(e, rule.family)).join(' ');
  const comment = rule.comment === null ? '' : ` comment "${rule.comment}"`;
  const full = `${text}${comment} # handle ${rule.handle}`;
  return full.length > MAX_QUOTE ? `${full.slice(0, MAX_QUOTE)}…` : full;
}

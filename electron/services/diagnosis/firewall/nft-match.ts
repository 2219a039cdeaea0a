import { single, type NftValue } from './nft-packet.js';
import type { NftExpr, NftSet } from './nft-schema.js';

/** Whether a match holds: yes, no, or not known (the packet's value or the set is not known). */
export type Truth = 'yes' | 'no' | 'unknown';

/** Looks up a named set or map of the rule's table (the `@name` of a rule). */
export type SetLookup = (name: string) => NftSet | undefined;

const ALIASES: Record<string, number> = { tcp: 6, udp: 17, ipv4: 2, ipv6: 10 };
const not = (t: Truth): Truth => (t === 'yes' ? 'no' : t === 'no' ? 'yes' : 'unknown');
const field = (o: unknown, key: string): unknown => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[key] : undefined);

function equal(a: string | number, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'number') return ALIASES[a] === b;
  if (typeof a === 'string' && typeof b === 'string' && b.endsWith('*')) return a.startsWith(b.slice(0, -1));
  return false;
}

/** Whether one element of a set (a value, range, prefix or concatenation) holds the packet's value. */
function holds(v: NftValue, element: unknown): Truth {
  const s = single(element);
  if (s?.[0] === 'elem') return holds(v, field(s[1], 'val'));
  if (v.kind === 'iface') return typeof element === 'string' && (element === 'lo' || element === 'lo*') ? 'no' : 'unknown';
  if (v.kind === 'address') return loopback(element) ? 'no' : 'unknown';
  if (v.kind !== 'value') return 'unknown';
  const x = v.value;
  if (Array.isArray(x)) {
    const parts = s?.[0] === 'concat' && Array.isArray(s[1]) ? s[1] : null;
    if (!parts || parts.length !== x.length) return 'no';
    const each = parts.map((part, i) => holds(x[i] as NftValue, part));
    return each.includes('no') ? 'no' : each.includes('unknown') ? 'unknown' : 'yes';
  }
  if (s?.[0] === 'range' && Array.isArray(s[1])) {
    const [lo, hi] = s[1] as unknown[];
    return typeof x === 'number' && typeof lo === 'number' && typeof hi === 'number' ? (x >= lo && x <= hi ? 'yes' : 'no') : 'unknown';
  }
  if (s) return 'unknown';
  return equal(x, element) ? 'yes' : 'no';
}

function loopback(element: unknown): boolean {
  const s = single(element);
  if (s?.[0] === 'prefix') {
    const addr = field(s[1], 'addr');
    const len = field(s[1], 'len');
    return typeof addr === 'string' && typeof len === 'number' && ((addr.startsWith('127.') && len >= 8) || (addr === '::1' && len === 128));
  }
  return typeof element === 'string' && (element.startsWith('127.') || element === '::1');
}

/** The elements a match's right side stands for: a named set, an anonymous set, a list of flags, or one value. */
export function elementsOf(right: NftExpr, sets: SetLookup): unknown[] | null {
  if (typeof right === 'string' && right.startsWith('@')) {
    const set = sets(right.slice(1));
    return set ? set.elem : null;
  }
  if (Array.isArray(right)) return right;
  const s = single(right);
  if (s?.[0] === 'set') return Array.isArray(s[1]) ? s[1] : [s[1]];
  return [right];
}

/** Whether any element holds the value. */
export function anyHolds(v: NftValue, elements: unknown[]): Truth {
  let result: Truth = 'no';
  for (const e of elements) {
    const t = holds(v, e);
    if (t === 'yes') return 'yes';
    if (t === 'unknown') result = 'unknown';
  }
  return result;
}

/** Judges `left op right` for the packet's value of left. */
export function compare(op: unknown, v: NftValue, right: NftExpr, sets: SetLookup): Truth {
  if (v.kind === 'absent') return 'no';
  if (v.kind === 'unknown') return 'unknown';
  if (op === '==' || op === 'in' || op === '!=') {
    const elements = elementsOf(right, sets);
    if (!elements) return 'unknown';
    const t = anyHolds(v, elements);
    return op === '!=' ? not(t) : t;
  }
  if (v.kind !== 'value' || typeof v.value !== 'number' || typeof right !== 'number') return 'unknown';
  if (op === '<') return v.value < right ? 'yes' : 'no';
  if (op === '>') return v.value > right ? 'yes' : 'no';
  if (op === '<=') return v.value <= right ? 'yes' : 'no';
  if (op === '>=') return v.value >= right ? 'yes' : 'no';
  return 'unknown';
}

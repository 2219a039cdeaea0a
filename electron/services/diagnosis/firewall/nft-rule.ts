import { anyHolds, compare, elementsOf, type SetLookup, type Truth } from './nft-match.js';
import { evaluate, single, type NftPacket } from './nft-packet.js';
import type { NftExpr, NftRule } from './nft-schema.js';

/** What a rule does to the packet when it matches. */
export type Effect =
  | { verdict: 'accept' | 'drop' | 'return' | 'continue' }
  | { verdict: 'jump' | 'goto'; target: string }
  /** An effect this judge does not follow (queue, dnat, a compat match...), named. */
  | { verdict: 'unknown'; what: string };

/** A rule judged for the packet: whether it matches, and its effect then (null: it only counts, logs or marks). */
export interface RuleOutcome {
  match: Truth;
  effect: Effect | null;
  /** What the match depends on, when it is not known. */
  depends: string | null;
}

const NON_TERMINAL = new Set(['counter', 'log', 'mangle', 'notrack', 'flow', 'dup', 'secmark', 'set', 'meter', 'ct helper', 'ct timeout', 'ct expectation']);
const PASS_NAT = new Set(['snat', 'masquerade']);
const field = (o: unknown, key: string): unknown => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[key] : undefined);

/** The verdict a statement (or a vmap's value) stands for, or null when it is not a verdict. */
export function verdictOf(stmt: NftExpr): Effect | null {
  const s = single(stmt);
  if (!s) return null;
  const [kind, body] = s;
  if (kind === 'accept' || kind === 'drop' || kind === 'return' || kind === 'continue') return { verdict: kind };
  if (kind === 'reject') return { verdict: 'drop' };
  if (kind === 'jump' || kind === 'goto') {
    const target = field(body, 'target');
    return typeof target === 'string' ? { verdict: kind, target } : { verdict: 'unknown', what: `${kind} without a target` };
  }
  if (PASS_NAT.has(kind)) return { verdict: 'accept' };
  if (['queue', 'dnat', 'redirect', 'tproxy', 'fwd', 'synproxy'].includes(kind)) return { verdict: 'unknown', what: `${kind} sends the packet elsewhere` };
  return null;
}

function vmap(body: unknown, p: NftPacket, sets: SetLookup): { t: Truth; effect: Effect | null } {
  const key = evaluate(field(body, 'key'), p);
  if (key.kind === 'absent') return { t: 'no', effect: null };
  const pairs = elementsOf(field(body, 'data'), sets);
  if (!pairs || key.kind === 'unknown') return { t: 'unknown', effect: { verdict: 'unknown', what: 'a verdict map on a value not known' } };
  let pending = false;
  for (const pair of pairs) {
    if (!Array.isArray(pair) || pair.length !== 2)
      return { t: 'unknown', effect: { verdict: 'unknown', what: 'a verdict map element this judge does not read' } };
    const t = anyHolds(key, [pair[0]]);
    if (t === 'unknown') pending = true;
    if (t === 'yes' && !pending) return { t: 'yes', effect: verdictOf(pair[1]) ?? { verdict: 'unknown', what: 'a verdict map value' } };
  }
  return pending ? { t: 'unknown', effect: { verdict: 'unknown', what: 'a verdict map on a value not known' } } : { t: 'no', effect: null };
}

/**
 * Judges one rule's statements in order: matches are ANDed (a failed one ends
 * the rule), counters, logs, marks and `limit rate` (a first packet is within
 * any rate) pass, `limit rate over` fails, and the first verdict is the effect.
 */
export function judgeRule(rule: NftRule, p: NftPacket, sets: SetLookup): RuleOutcome {
  let match: Truth = 'yes';
  let depends: string | null = null;
  const unsure = (what: string) => {
    match = 'unknown';
    depends ??= what;
  };
  for (const stmt of rule.expr) {
    const s = single(stmt);
    const [kind, body] = s ?? ['', null];
    if (kind === 'match') {
      const t = compare(field(body, 'op'), evaluate(field(body, 'left'), p), field(body, 'right'), sets);
      if (t === 'no') return { match: 'no', effect: null, depends: null };
      if (t === 'unknown') unsure(describeLeft(field(body, 'left')));
    } else if (kind === 'limit' || kind === 'quota') {
      if (field(body, 'inv') === true) return { match: 'no', effect: null, depends: null };
    } else if (kind === 'vmap') {
      const r = vmap(body, p, sets);
      if (r.t === 'no') return { match: 'no', effect: null, depends: null };
      if (r.t === 'unknown') unsure(describeLeft(field(body, 'key')));
      return { match, effect: r.effect, depends };
    } else if (NON_TERMINAL.has(kind)) {
      continue;
    } else if (kind === 'xt' && field(body, 'type') === 'match') {
      unsure(`an iptables match (${String(field(body, 'name'))})`);
    } else {
      const effect = verdictOf(stmt) ?? { verdict: 'unknown', what: `a "${kind || 'unreadable'}" statement` };
      return { match, effect, depends };
    }
  }
  return { match, effect: null, depends };
}

/** Names what a left side reads, for "depends on" reasons: "ip saddr", "meta mark". */
function describeLeft(left: unknown): string {
  const s = single(left);
  if (!s) return 'a value';
  const [kind, body] = s;
  if (kind === 'payload') return `${String(field(body, 'protocol'))} ${String(field(body, 'field'))}`;
  if (kind === 'meta' || kind === 'ct') return `${kind} ${String(field(body, 'key'))}`;
  if (kind === 'concat' && Array.isArray(body)) return body.map(describeLeft).join(' . ');
  if (kind === '&' || kind === '|' || kind === '^') return Array.isArray(body) ? describeLeft(body[0]) : kind;
  return kind;
}

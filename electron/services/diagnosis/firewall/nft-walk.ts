import type { SetLookup } from './nft-match.js';
import type { NftPacket } from './nft-packet.js';
import { judgeRule, type Effect } from './nft-rule.js';
import type { NftChain, NftRule } from './nft-schema.js';

/** How the packet fares: accepted by every base chain, dropped (by a rule, or a chain's policy), or not known and why. */
export type WalkResult =
  { end: 'accept' } | { end: 'drop'; base: NftChain; chain: NftChain; rule: NftRule | null } | { end: 'unknown'; reason: string; rule: NftRule | null };

/** A base chain the packet may traverse; `maybe` says why it may not (bound to a device that may not be the packet's...). */
export interface BaseEntry {
  chain: NftChain;
  maybe: string | null;
}

interface Frame {
  chain: NftChain;
  index: number;
}

interface State {
  base: number;
  stack: Frame[];
}

const MAX_DEPTH = 16;
const MAX_STEPS = 50_000;
const MAX_PATHS = 64;

/** The walk's context: the base chains in order, chains by table and name, sets by table and name, and the budget. */
export interface WalkContext {
  packet: NftPacket;
  bases: BaseEntry[];
  chainOf: (from: NftChain, name: string) => NftChain | undefined;
  setsOf: (chain: NftChain) => SetLookup;
  budget: { steps: number; paths: number };
}

const same = (a: WalkResult, b: WalkResult) =>
  a.end === b.end && (a.end !== 'drop' || b.end !== 'drop' || (a.chain === b.chain && a.rule === b.rule && a.base === b.base));

/** Follows both ways of an unknown: the same end either way is the end; otherwise unknown because of `why`. */
function fork(ctx: WalkContext, taken: State, skipped: State, why: string, rule: NftRule | null): WalkResult {
  ctx.budget.paths += 1;
  if (ctx.budget.paths > MAX_PATHS) return { end: 'unknown', reason: 'too many rules depend on what is not known about the packet', rule };
  const yes = run(ctx, taken);
  const no = run(ctx, skipped);
  if (yes.end === 'unknown') return yes;
  if (no.end === 'unknown') return no;
  if (same(yes, no) || (yes.end === 'drop' && no.end === 'drop')) return no;
  return { end: 'unknown', reason: why, rule };
}

const clone = (s: State): State => ({ base: s.base, stack: s.stack.map((f) => ({ ...f })) });

/** Applies a rule's effect to the state; a result when the walk ends here. */
function apply(ctx: WalkContext, s: State, effect: Effect, rule: NftRule): WalkResult | null {
  const top = s.stack[s.stack.length - 1] as Frame;
  switch (effect.verdict) {
    case 'continue':
      return null;
    case 'accept':
      s.base += 1;
      s.stack = [];
      return null;
    case 'drop':
      return { end: 'drop', base: (ctx.bases[s.base] as BaseEntry).chain, chain: top.chain, rule };
    case 'return':
      top.index = top.chain.rules.length;
      return null;
    case 'unknown':
      return { end: 'unknown', reason: `the rule uses ${effect.what}`, rule };
    default: {
      const target = ctx.chainOf(top.chain, effect.target);
      if (!target) return { end: 'unknown', reason: `${effect.verdict} to a chain not in the ruleset: ${effect.target}`, rule };
      if (effect.verdict === 'goto') s.stack.pop();
      if (s.stack.length >= MAX_DEPTH) return { end: 'unknown', reason: `chains nest deeper than ${MAX_DEPTH}`, rule };
      s.stack.push({ chain: target, index: 0 });
      return null;
    }
  }
}

/** Runs the packet from a state to its end. */
function run(ctx: WalkContext, start: State): WalkResult {
  const s = clone(start);
  for (;;) {
    if (++ctx.budget.steps > MAX_STEPS) return { end: 'unknown', reason: 'the ruleset is too large to follow', rule: null };
    if (s.stack.length === 0) {
      const entry = ctx.bases[s.base];
      if (!entry) return { end: 'accept' };
      const entered: State = { base: s.base, stack: [{ chain: entry.chain, index: 0 }] };
      if (entry.maybe === null) {
        s.stack = entered.stack;
        continue;
      }
      return fork(ctx, entered, { base: s.base + 1, stack: [] }, entry.maybe, null);
    }
    const top = s.stack[s.stack.length - 1] as Frame;
    const rule = top.chain.rules[top.index];
    if (!rule) {
      s.stack.pop();
      if (s.stack.length > 0) continue;
      const base = (ctx.bases[s.base] as BaseEntry).chain;
      if (base.policy === 'drop') return { end: 'drop', base, chain: base, rule: null };
      s.base += 1;
      continue;
    }
    top.index += 1;
    const r = judgeRule(rule, ctx.packet, ctx.setsOf(top.chain));
    if (r.match === 'no' || !r.effect) continue;
    if (r.match === 'unknown') {
      const taken = clone(s);
      const ended = apply(ctx, taken, r.effect, rule);
      const why = `the rule depends on ${r.depends ?? 'a value'} of the packet`;
      if (ended) {
        const rest = run(ctx, s);
        if (rest.end === 'unknown') return rest;
        return same(ended, rest) || (ended.end === 'drop' && rest.end === 'drop') ? rest : { end: 'unknown', reason: why, rule };
      }
      return fork(ctx, taken, s, why, rule);
    }
    const ended = apply(ctx, s, r.effect, rule);
    if (ended) return ended;
  }
}

/** Walks the packet through the base chains in order: a drop anywhere drops, an accept ends only its base chain. */
export function walk(ctx: WalkContext): WalkResult {
  return run(ctx, { base: 0, stack: [] });
}

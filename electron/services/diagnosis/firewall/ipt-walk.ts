import { evalRule } from './ipt-match.js';
import type { Packet, PacketState } from './ipt-packet.js';
import type { IptRule, IptTable } from './ipt-parse.js';

/** How a base chain ends for the packet. */
export type ChainEnd =
  | { end: 'accept'; state: PacketState }
  /** A chain without a policy (a user chain walked on its own) ended. */
  | { end: 'return'; state: PacketState }
  | { end: 'block'; rule: string; chain: string }
  | { end: 'unknown'; reason: string; rule: string | null; chain: string | null };

interface Frame {
  chain: string;
  index: number;
}

const MAX_STEPS = 20_000;
const MAX_DEPTH = 64;
/** Targets that act on the packet and let it go on to the next rule. */
const PASS = new Set(['LOG', 'NFLOG', 'ULOG', 'AUDIT', 'TRACE', 'TCPMSS', 'TOS', 'DSCP', 'CLASSIFY', 'SET', 'SECMARK', 'CONNSECMARK', 'CHECKSUM', 'TTL', 'HL']);
['IDLETIMER', 'LED', 'RATEEST', 'HMARK', 'ECN', 'SNAT', 'MASQUERADE', 'NETMAP'].forEach((t) => PASS.add(t));
/** Targets that hand the packet to something these rules do not describe. */
const AWAY = new Set(['DNAT', 'REDIRECT', 'TPROXY', 'QUEUE', 'NFQUEUE', 'SYNPROXY', 'TEE']);

function setMark(current: number | null, args: string[]): number | null {
  const i = args.findIndex((a) => /^--(set-x?mark|or-mark|and-mark|xor-mark)$/.test(a));
  if (i < 0 || current === null) return null;
  const [v = '', m = '0xffffffff'] = (args[i + 1] ?? '').split('/');
  const value = Number(v);
  const mask = Number(m);
  if (!Number.isFinite(value) || !Number.isFinite(mask)) return null;
  switch (args[i]) {
    case '--set-xmark':
      return ((current & ~mask) ^ value) >>> 0;
    case '--set-mark':
      return ((current & ~mask) | value) >>> 0;
    case '--or-mark':
      return (current | value) >>> 0;
    case '--and-mark':
      return (current & value) >>> 0;
    default:
      return (current ^ value) >>> 0;
  }
}

function merge(taken: ChainEnd, skipped: ChainEnd, rule: IptRule, why: string, chain: string): ChainEnd {
  if (taken.end === 'unknown') return taken;
  if (skipped.end === 'unknown') return skipped;
  if (taken.end === 'block' && skipped.end === 'block') return skipped;
  if ((taken.end === 'accept' || taken.end === 'return') && taken.end === skipped.end) {
    const same = (a: number | null, b: number | null) => (a === b ? a : null);
    return {
      end: 'accept',
      state: { mark: same(taken.state.mark, skipped.state.mark), connmark: same(taken.state.connmark, skipped.state.connmark), ct: skipped.state.ct },
    };
  }
  return { end: 'unknown', reason: `cannot tell whether the rule matches: ${why}`, rule: rule.line, chain };
}

/** Walks one base chain of a table for the packet: jumps, gotos and returns, and both ways where a match cannot be told. */
export class ChainWalker {
  private steps = 0;
  constructor(
    private readonly table: IptTable,
    private readonly packet: Packet,
  ) {}

  run(base: string, state: PacketState): ChainEnd {
    return this.exec([{ chain: base, index: 0 }], state, base);
  }

  private exec(frames: Frame[], state: PacketState, base: string): ChainEnd {
    for (;;) {
      if (++this.steps > MAX_STEPS)
        return { end: 'unknown', reason: `the ruleset has too many paths to follow (over ${MAX_STEPS} rule visits)`, rule: null, chain: null };
      const top = frames[frames.length - 1];
      if (!top) return this.policy(base, state);
      const chain = this.table.chains.get(top.chain);
      const rule = chain?.rules[top.index];
      if (!rule) {
        frames = frames.slice(0, -1);
        continue;
      }
      frames = [...frames.slice(0, -1), { chain: top.chain, index: top.index + 1 }];
      const ev = evalRule(rule.args, this.packet, state);
      if (ev.match === false) continue;
      const taken = this.apply(rule, ev.target, ev.goto, ev.targetArgs, frames, state, top.chain);
      if (ev.match === true) {
        if ('frames' in taken) ({ frames, state } = taken);
        else return taken;
        continue;
      }
      const takenEnd = 'frames' in taken ? this.exec(taken.frames, taken.state, base) : taken;
      return merge(takenEnd, this.exec(frames, state, base), rule, ev.match, top.chain);
    }
  }

  private apply(
    rule: IptRule,
    target: string | null,
    goto: boolean,
    args: string[],
    frames: Frame[],
    state: PacketState,
    chain: string,
  ): ChainEnd | { frames: Frame[]; state: PacketState } {
    if (target === null || PASS.has(target)) return { frames, state };
    if (target === 'ACCEPT') return { end: 'accept', state };
    if (target === 'DROP' || target === 'REJECT') return { end: 'block', rule: rule.line, chain };
    if (target === 'RETURN') return { frames: frames.slice(0, -1), state };
    if (target === 'MARK') return { frames, state: { ...state, mark: setMark(state.mark, args) } };
    if (target === 'CONNMARK') {
      if (args.includes('--restore-mark')) return { frames, state: { ...state, mark: state.connmark === null ? null : state.connmark } };
      if (args.includes('--save-mark')) return { frames, state: { ...state, connmark: state.mark } };
      return { frames, state: { ...state, connmark: setMark(state.connmark, args) } };
    }
    if (target === 'NOTRACK' || (target === 'CT' && args.includes('--notrack'))) return { frames, state: { ...state, ct: 'UNTRACKED' } };
    if (target === 'CT') return { frames, state };
    if (AWAY.has(target)) return { end: 'unknown', reason: `${target} hands the packet to something these rules do not show`, rule: rule.line, chain };
    if (!this.table.chains.has(target))
      return { end: 'unknown', reason: `target ${target} is neither a chain of table ${this.table.name} nor one Spanwise knows`, rule: rule.line, chain };
    if (frames.length >= MAX_DEPTH) return { end: 'unknown', reason: `chains nest deeper than ${MAX_DEPTH} (a loop?)`, rule: rule.line, chain };
    const next = goto ? frames.slice(0, -1) : frames;
    return { frames: [...next, { chain: target, index: 0 }], state };
  }

  private policy(base: string, state: PacketState): ChainEnd {
    const chain = this.table.chains.get(base);
    if (chain?.policy === 'DROP') return { end: 'block', rule: chain.declaration, chain: base };
    return { end: chain?.policy ? 'accept' : 'return', state };
  }
}

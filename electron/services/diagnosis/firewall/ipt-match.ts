import { portListHas } from './types.js';
import { setMatch } from './ipt-ipset.js';
import { addressMatch, ifaceMatch, type Packet, type PacketState, type Tri } from './ipt-packet.js';

/** A rule's matches judged against the packet, and its target. */
export interface RuleEval {
  match: Tri;
  target: string | null;
  goto: boolean;
  /** The words after the target (e.g. `--set-xmark 0x8000/0x8000`). */
  targetArgs: string[];
}

/** Options that take no value. */
const FLAGS = new Set(
  `--syn --limit-iface-in --limit-iface-out --set --update --rcheck --remove --rsource --rdest --rttl --reap --connlimit-saddr --connlimit-daddr
  -f --fragment --return-nomatch --physdev-is-in --physdev-is-out --physdev-is-bridged -4 -6 --ipv4 --ipv6 --invert --loose --validmark --accept-local`.split(
    /\s+/,
  ),
);
/** Options that take two values. */
const PAIRS = new Set(['--tcp-flags', '--match-set', '--set-mark-any']);
/** Options that only name a module's knobs and decide nothing on their own. */
const NEUTRAL = new Set([
  ...'--comment --limit --limit-burst --name --mask --seconds --hitcount --connlimit-mask --dir --hashlimit-name'.split(' '),
  ...'mode burst srcmask dstmask htable-size htable-max htable-expire htable-gcinterval rate-match rate-interval'.split(' ').map((o) => `--hashlimit-${o}`),
]);

/** Match options that may follow the target in hand-written rules (ufw's user.rules puts `-m comment` last). */
const MATCH_OPTIONS = /^(-[psdio]|--(protocol|source|destination|in-interface|out-interface|dports?|sports?|ports|ctstate|state|comment|mark|syn|tcp-flags))$/;
const protoNumbers: Record<string, string> = { '6': 'tcp', '17': 'udp' };
const and = (a: Tri, b: Tri): Tri => (a === false || b === false ? false : typeof a === 'string' ? a : b);
const not = (t: Tri, neg: boolean): Tri => (typeof t === 'string' || !neg ? t : !t);

function typeMatch(types: string, side: 'src' | 'dst', p: Packet): boolean {
  const local = (side === 'dst') === (p.direction === 'inbound');
  return types.split(',').some((t) => (t === 'LOCAL' ? local : t === 'UNICAST'));
}

function tcpFlags(mask: string, comp: string): boolean {
  const set = (s: string) => new Set(s === 'ALL' ? ['SYN', 'ACK', 'FIN', 'RST', 'URG', 'PSH'] : s === 'NONE' ? [] : s.split(','));
  const m = set(mask);
  const c = set(comp);
  return [...m].every((f) => (f === 'SYN') === c.has(f));
}

function markMatch(value: string, mark: number | null): Tri {
  if (mark === null) return `the packet's mark is set by an earlier rule`;
  const [v = '', m = '0xffffffff'] = value.split('/');
  const want = Number(v);
  const mask = Number(m);
  if (!Number.isFinite(want) || !Number.isFinite(mask)) return `mark ${value} is not a number`;
  return (mark & mask) >>> 0 === want >>> 0;
}

function option(opt: string, vals: string[], p: Packet, s: PacketState, mods: Set<string>): Tri {
  const v = vals[0] ?? '';
  const peer = p.direction === 'inbound' ? 'src' : 'dst';
  switch (opt) {
    case '-p':
    case '--protocol':
    case '--ctproto':
      return v === 'all' || v === '0' || (protoNumbers[v] ?? v.toLowerCase()) === p.protocol;
    case '-s':
    case '--source':
    case '--src-range':
      return addressMatch(v, peer === 'src' ? 'peer' : 'host', p);
    case '-d':
    case '--destination':
    case '--dst-range':
      return addressMatch(v, peer === 'dst' ? 'peer' : 'host', p);
    case '-i':
    case '--in-interface':
      return p.direction === 'inbound' ? ifaceMatch(v, p) : false;
    case '-o':
    case '--out-interface':
      return p.direction === 'outbound' ? ifaceMatch(v, p) : false;
    case '--dport':
    case '--destination-port':
    case '--dports':
    case '--destination-ports':
      return portListHas(v, p.port);
    case '--ports':
      return portListHas(v, p.port) || `the source port may be in ${v}`;
    case '--sport':
    case '--source-port':
    case '--sports':
    case '--source-ports':
      return `the source port may be ${v}`;
    case '--ctstate':
    case '--state':
      return v.split(',').includes(s.ct);
    case '--syn':
      return p.protocol === 'tcp';
    case '--tcp-flags':
      return tcpFlags(v, vals[1] ?? '');
    case '--mark':
      return markMatch(v, mods.has('connmark') && !mods.has('mark') ? s.connmark : s.mark);
    case '--src-type':
      return typeMatch(v, 'src', p);
    case '--dst-type':
      return typeMatch(v, 'dst', p);
    case '--pkt-type':
      return v === 'unicast';
    case '--hashlimit-upto':
    case '--connlimit-upto':
    case '--set':
      return true;
    case '--hashlimit-above':
    case '--connlimit-above':
    case '-f':
    case '--fragment':
    case '--icmp-type':
    case '--icmpv6-type':
      return false;
    case '--pol':
      return v === 'none';
    case '--match-set':
      return setMatch(v, vals[1] ?? '', p);
  }
  // A peer's packet arrives on the link its source routes through, so a reverse-path check passes.
  if (mods.has('rpfilter') && opt === '--invert') return false;
  if (NEUTRAL.has(opt) || FLAGS.has(opt)) return true;
  return `cannot evaluate ${[opt, ...vals].join(' ')}`;
}

/** Judges one rule's matches (for a new packet) and reads its target. */
export function evalRule(args: string[], p: Packet, s: PacketState): RuleEval {
  const mods = new Set<string>();
  let match: Tri = true;
  let target: string | null = null;
  let goto = false;
  const targetArgs: string[] = [];
  let recentHits = 1;
  let seenCheck = false;
  for (let i = 0; i < args.length; i += 1) {
    const word = args[i] ?? '';
    if (target !== null && word !== '!' && word !== '-m' && !MATCH_OPTIONS.test(word)) {
      targetArgs.push(word);
      continue;
    }
    const neg = word === '!';
    const opt = (neg ? args[++i] : word) ?? '';
    if (opt === '-j' || opt === '--jump' || opt === '-g' || opt === '--goto') {
      target = args[++i] ?? null;
      goto = opt === '-g' || opt === '--goto';
      continue;
    }
    if (opt === '-m' || opt === '--match') {
      mods.add(args[++i] ?? '');
      continue;
    }
    const count = FLAGS.has(opt) ? 0 : PAIRS.has(opt) ? 2 : 1;
    const vals = args.slice(i + 1, i + 1 + count);
    i += count;
    if (opt === '--hitcount') recentHits = Number(vals[0]);
    if (opt === '--update' || opt === '--rcheck') seenCheck = true;
    match = and(match, not(option(opt, vals, p, s, mods), neg));
  }
  // A new connection is the first from its source: a "seen N times" check with N > 1 does not hold yet.
  if (seenCheck) match = and(match, recentHits > 1 ? false : 'recent: whether the source was seen before');
  return { match, target, goto, targetArgs };
}

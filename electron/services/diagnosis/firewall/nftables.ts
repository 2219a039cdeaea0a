import { formatRule } from './nft-format.js';
import type { NftPacket } from './nft-packet.js';
import { parseNftJson, type NftChain, type NftRule, type NftRuleset } from './nft-schema.js';
import { walk, type BaseEntry } from './nft-walk.js';
import { allowAll, type PortQuery, type RuleVerdict } from './types.js';

/** The hooks a packet crosses on its way in or out, in order. */
const HOOKS = { inbound: ['ingress', 'prerouting', 'input'], outbound: ['output', 'postrouting'], forward: ['forward'] } as const;

const sees = (c: NftChain, family: 'ipv4' | 'ipv6') =>
  c.family === 'inet' || c.family === 'netdev' || (c.family === 'ip' && family === 'ipv4') || (c.family === 'ip6' && family === 'ipv6');

const IPTABLES_TABLES = new Set(['filter', 'nat', 'mangle', 'raw', 'security']);
const IPTABLES_CHAINS = new Set(['INPUT', 'OUTPUT', 'FORWARD', 'PREROUTING', 'POSTROUTING']);

/** A table iptables-nft made (and iptables-save lists): an iptables table name, base chains named as iptables names them. */
const iptablesTable = (rs: NftRuleset, c: NftChain) =>
  (c.family === 'ip' || c.family === 'ip6') &&
  IPTABLES_TABLES.has(c.table) &&
  rs.chains.every((x) => x.family !== c.family || x.table !== c.table || x.hook === null || IPTABLES_CHAINS.has(x.name));

/** A query of the nft judge: a port query, or a packet forwarded through the host (judged on the forward hook, after NAT). */
export type NftQuery = Omit<PortQuery, 'direction'> & { direction?: NftPacket['direction'] };

/** What the caller judges elsewhere. */
export interface NftJudgeOptions {
  /** iptables-save (nf_tables backend) is judged too: leave out the tables iptables-nft made. */
  skipIptablesTables?: boolean;
  /** firewalld runs and is judged from its zones: leave out its own tables (`inet firewalld`...). */
  skipFirewalldTables?: boolean;
}

/** The base chains the packet traverses, by hook then priority. */
function baseChains(rs: NftRuleset, p: NftPacket, options: NftJudgeOptions): BaseEntry[] {
  const hooks: readonly string[] = HOOKS[p.direction];
  const entries: BaseEntry[] = [];
  for (const c of rs.chains) {
    if (c.hook === null || !hooks.includes(c.hook) || !sees(c, p.family)) continue;
    if (options.skipIptablesTables && iptablesTable(rs, c)) continue;
    if (options.skipFirewalldTables && c.table.startsWith('firewalld')) continue;
    if (c.dormant === true || (c.devices.length > 0 && p.iface !== null && !c.devices.includes(p.iface))) continue;
    const where = `chain ${c.name} of table ${c.family} ${c.table}`;
    const maybe =
      c.dormant === null
        ? `${where} is in a table whose flags nft does not print (it may be dormant)`
        : c.devices.length > 0 && p.iface === null
          ? `${where} is bound to ${c.devices.join(', ')}, and the packet's link is not known`
          : null;
    entries.push({ chain: c, maybe });
  }
  const stage = (c: NftChain) => hooks.indexOf(c.hook as string);
  return entries.sort((a, b) => stage(a.chain) - stage(b.chain) || a.chain.prio - b.chain.prio);
}

const MARK_KEYS = /"mangle":\{"key":\{"(meta|ct)":\{"key":"mark"/;
const where = (c: NftChain) => `table ${c.family} ${c.table} chain ${c.name}`;
const quote = (r: NftRule) => `table ${r.family} ${r.table} chain ${r.chain}: ${formatRule(r)}`;

/** Reads `nft -j list ruleset` output; an empty output is an empty ruleset. */
function read(json: string): { ok: true; ruleset: NftRuleset } | { ok: false; reason: string } {
  return json.trim() === '' ? { ok: true, ruleset: { chains: [], sets: [] } } : parseNftJson(json);
}

/**
 * Judges the first packet of a new flow to `q` (inbound by default, IPv4 by
 * default) against a ruleset read with `nft -j list ruleset`: every base chain
 * on the hooks it crosses, in priority order (an accept ends only its own base
 * chain; a drop or reject anywhere blocks), following jumps, gotos, returns,
 * sets, maps and verdict maps. Where the verdict depends on what is not known
 * (a source address, an expression this judge does not read) it is unknown,
 * with the reason; never a block.
 */
export function judgeNftables(json: string, q: NftQuery, options: NftJudgeOptions = {}): RuleVerdict {
  const parsed = read(json);
  if (!parsed.ok) return { verdict: 'unknown', rule: null, anchors: [], reason: parsed.reason };
  const rs = parsed.ruleset;
  const packet: NftPacket = {
    direction: q.direction ?? 'inbound',
    family: q.family ?? 'ipv4',
    protocol: q.protocol,
    port: q.port,
    iface: q.iface ?? null,
    marksChange: rs.chains.some((c) => c.rules.some((r) => MARK_KEYS.test(JSON.stringify(r.expr)))),
  };
  const bases = baseChains(rs, packet, options);
  if (bases.length === 0) return allowAll;
  const chains = new Map(rs.chains.map((c) => [`${c.family}\0${c.table}\0${c.name}`, c]));
  const sets = new Map(rs.sets.map((s) => [`${s.family}\0${s.table}\0${s.name}`, s]));
  const result = walk({
    packet,
    bases,
    chainOf: (from, name) => chains.get(`${from.family}\0${from.table}\0${name}`),
    setsOf: (from) => (name) => sets.get(`${from.family}\0${from.table}\0${name}`),
    budget: { steps: 0, paths: 0 },
  });
  if (result.end === 'accept') return { verdict: 'allow', rule: null, anchors: [] };
  if (result.end === 'unknown') {
    const rule = result.rule ? quote(result.rule) : null;
    return { verdict: 'unknown', rule, anchors: [], reason: rule ? `${result.reason}: "${rule}"` : result.reason };
  }
  const { base, chain, rule } = result;
  const anchors = [`${base.family} ${base.table} ${base.name}`];
  const location = { family: chain.family, table: chain.table, chain: chain.name, handle: rule?.handle ?? null, baseChain: base.name };
  const text = rule ? quote(rule) : `${where(base)}: policy drop (no rule accepts ${q.protocol} dport ${q.port})`;
  return { verdict: 'block', rule: text, anchors, location };
}

/** Whether the ruleset has a base chain on the way in (so nftables filters the host); text that is not JSON is searched for one. */
export function nftFiltersInbound(json: string): boolean {
  const parsed = read(json);
  if (!parsed.ok) return /\bhook (input|prerouting)\b/.test(json);
  return parsed.ruleset.chains.some((c) => c.hook === 'input' || c.hook === 'prerouting');
}

/** Whether Docker's tables or chains are in the ruleset. */
export function nftHasDocker(json: string): boolean {
  const parsed = read(json);
  if (!parsed.ok) return false;
  return parsed.ruleset.chains.some((c) => /docker/i.test(c.table) || /^DOCKER/.test(c.name));
}

import type { FirewallOutputs } from './inspect.js';
import { defaultLink, linkAddresses, type Packet, type PacketState } from './ipt-packet.js';
import { parseIptablesSave, type IptRuleset } from './ipt-parse.js';
import { parseIpsetSave } from './ipt-ipset.js';
import { ChainWalker } from './ipt-walk.js';
import { judgeNftables } from './nftables.js';
import type { PortQuery, RuleVerdict } from './types.js';

/** Where the deciding iptables rule or policy sits: a fix inserts its accept into `baseChain` of `table`. */
export interface IptRuleLocation {
  /** `iptables` or `ip6tables`. */
  command: 'iptables' | 'ip6tables';
  /** The backend whose rules decided, when `iptables -V` named it. */
  backend: 'nf_tables' | 'legacy' | null;
  table: string;
  /** The chain holding the rule (the base chain for a policy). */
  chain: string;
  baseChain: string;
}

/** A verdict on one iptables ruleset. */
export interface IptVerdict extends RuleVerdict {
  iptables?: IptRuleLocation;
}

/** The tables and base chains a new packet crosses, in order (nat only sees a connection's first packet, which this is). */
const PATHS: Record<Packet['direction'], Array<[string, string]>> = {
  inbound: [
    ['raw', 'PREROUTING'],
    ['mangle', 'PREROUTING'],
    ['nat', 'PREROUTING'],
    ['mangle', 'INPUT'],
    ['filter', 'INPUT'],
    ['security', 'INPUT'],
  ],
  outbound: [
    ['raw', 'OUTPUT'],
    ['mangle', 'OUTPUT'],
    ['nat', 'OUTPUT'],
    ['filter', 'OUTPUT'],
    ['security', 'OUTPUT'],
    ['mangle', 'POSTROUTING'],
  ],
};

/** The packet of a query: inbound IPv4 on an unknown link unless it says otherwise. */
export function packetOf(q: PortQuery, out?: FirewallOutputs): Packet {
  const family = q.family ?? 'ipv4';
  const iface = q.iface ?? defaultLink(out?.links, family);
  const hostAddrs = linkAddresses(out?.addresses, iface, family);
  return {
    protocol: q.protocol,
    port: q.port,
    direction: q.direction ?? 'inbound',
    family,
    iface,
    hostAddrs,
    ...(out?.ipsetSave ? { sets: parseIpsetSave(out.ipsetSave) } : {}),
  };
}

/** Judges the packet against a parsed ruleset: every table's base chain on its path, a drop in any of them drops. */
export function judgeRuleset(ruleset: IptRuleset, p: Packet, command: IptRuleLocation['command'], backend: IptRuleLocation['backend']): IptVerdict {
  let state: PacketState = { mark: 0, connmark: 0, ct: 'NEW' };
  let unknown: IptVerdict | null = null;
  for (const [tableName, base] of PATHS[p.direction]) {
    const table = ruleset.tables.get(tableName);
    if (!table?.chains.has(base)) continue;
    const end = new ChainWalker(table, p).run(base, state);
    const where = (chain: string | null): IptRuleLocation => ({ command, backend, table: tableName, chain: chain ?? base, baseChain: base });
    if (end.end === 'block') return { verdict: 'block', rule: end.rule, anchors: [base], iptables: where(end.chain) };
    if (end.end === 'unknown') {
      unknown ??= {
        verdict: 'unknown',
        rule: end.rule,
        anchors: [base],
        reason: `${command} table ${tableName} chain ${end.chain ?? base}: ${end.reason}${end.rule ? ` (rule: ${end.rule})` : ''}`,
        iptables: where(end.chain),
      };
      state = { ...state, mark: null, connmark: null };
    } else state = end.state;
  }
  return unknown ?? { verdict: 'allow', rule: null, anchors: [] };
}

/** Judges one `iptables-save` or `ip6tables-save` output; output that is not iptables-save's format is unknown, with the reason. */
export function judgeIptables(save: string, q: PortQuery, out?: FirewallOutputs, backend: IptRuleLocation['backend'] = null): IptVerdict {
  const parsed = parseIptablesSave(save);
  const command = (q.family ?? 'ipv4') === 'ipv6' ? 'ip6tables' : 'iptables';
  if (!parsed.ok) return { verdict: 'unknown', rule: null, anchors: [], reason: `${command}-save output: ${parsed.reason}` };
  return judgeRuleset(parsed.ruleset, packetOf(q, out), command, backend);
}

/** The backend `iptables -V` names. */
export function iptablesBackend(version: string | undefined): IptRuleLocation['backend'] {
  if (!version) return null;
  if (/\(nf_tables\)/.test(version)) return 'nf_tables';
  return /\(legacy\)/.test(version) ? 'legacy' : null;
}

/**
 * Judges the host's iptables for the query's family: the default backend's
 * rules and, where it has any, the other backend's (a packet crosses both).
 * A block seen through iptables-nft that nft's own listing contradicts is unknown.
 */
export function judgeIptablesHost(out: FirewallOutputs, q: PortQuery): IptVerdict {
  const v6 = (q.family ?? 'ipv4') === 'ipv6';
  const main = iptablesBackend(out.iptablesVersion);
  const other = main === 'nf_tables' ? 'legacy' : main === 'legacy' ? 'nf_tables' : null;
  const sources: Array<[string | undefined, IptRuleLocation['backend']]> = [
    [v6 ? out.ip6tablesSave : out.iptablesSave, main],
    [v6 ? out.ip6tablesOtherSave : out.iptablesOtherSave, other],
  ];
  let unknown: IptVerdict | null = null;
  for (const [save, backend] of sources) {
    if (save === undefined) continue;
    const v = judgeIptables(save, q, out, backend);
    if (v.verdict === 'block' && backend === 'nf_tables' && out.nft !== undefined && judgeNftables(out.nft, q).verdict === 'allow')
      return {
        ...v,
        verdict: 'unknown',
        reason: `iptables-save shows "${v.rule}" deciding, but nft lists the same kernel rules as letting the packet through (iptables-nft misprints rules written with nft itself, e.g. with sets)`,
      };
    if (v.verdict === 'block') return v;
    if (v.verdict === 'unknown') unknown ??= v;
  }
  return unknown ?? { verdict: 'allow', rule: null, anchors: [] };
}

/** Whether Docker's chains are in the ruleset. */
export function hasDockerChains(save: string): boolean {
  return /^:DOCKER(-USER|-FORWARD|-ISOLATION\S*)?\s/m.test(save);
}

/** Whether the ruleset filters anything inbound: a rule in filter INPUT or a non-ACCEPT policy there. */
export function iptablesFilters(save: string): boolean {
  const parsed = parseIptablesSave(save);
  const input = parsed.ok ? parsed.ruleset.tables.get('filter')?.chains.get('INPUT') : undefined;
  return !!input && (input.rules.length > 0 || input.policy !== 'ACCEPT');
}

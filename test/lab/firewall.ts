import { LAN_BRIDGE } from './constants.js';
import type { PlannedHost } from './plan.js';
import type { FirewallRule } from './scenario.js';

/** The WAN interface of a gateway. */
export const WAN = 'wan';

/** nft statement for one rule (no interface match). */
export function ruleStatement(rule: FirewallRule): string {
  const match = rule.proto === 'any' ? '' : rule.port === undefined ? `meta l4proto ${rule.proto} ` : `${rule.proto} dport ${rule.port} `;
  const verdict = rule.action === 'drop' ? 'drop' : rule.proto === 'tcp' ? 'reject with tcp reset' : 'reject';
  return `${match}${verdict}`;
}

const stateful = ['ct state established,related accept', 'ct state invalid drop'];

/**
 * Host-local firewall as an administrator would write it: `table inet filter`
 * with input and output chains, policy accept, replies always allowed. Empty
 * string when the host has no rules (allow all, no table at all).
 */
export function hostRuleset(host: PlannedHost): string {
  if (host.firewall.length === 0) return '';
  const inbound = host.firewall.filter((r) => r.direction === 'inbound').map(ruleStatement);
  const outbound = host.firewall.filter((r) => r.direction === 'outbound').map(ruleStatement);
  return [
    'table inet filter {',
    chain('input', 'type filter hook input priority filter; policy accept;', [...stateful, 'iif "lo" accept', ...inbound]),
    chain('output', 'type filter hook output priority filter; policy accept;', [...stateful, 'oif "lo" accept', ...outbound]),
    '}',
    '',
  ].join('\n');
}

/**
 * Gateway ruleset: stateful filter (new inbound from the WAN only through
 * forwards, and SSH/ping to the gateway itself), the scenario's rules on the
 * WAN side, masquerade (port preserving, or fully random for hard NAT) and
 * destination NAT for the forwards.
 */
export function gatewayRuleset(gw: PlannedHost): string {
  const wan = `iifname "${WAN}"`;
  const inbound = gw.firewall.filter((r) => r.direction === 'inbound').map((r) => `${wan} ${ruleStatement(r)}`);
  const outboundFwd = gw.firewall.filter((r) => r.direction === 'outbound').map((r) => `iifname "${LAN_BRIDGE}" ${ruleStatement(r)}`);
  const outboundLocal = gw.firewall.filter((r) => r.direction === 'outbound').map(ruleStatement);
  const dnat = gw.forwards.map((f) => `${wan} ${f.proto} dport ${f.port} dnat ip to ${f.toAddress}:${f.toPort}`);
  const masquerade = gw.nat === 'random' ? 'masquerade fully-random' : 'masquerade';
  return [
    'table inet filter {',
    chain('input', 'type filter hook input priority filter; policy drop;', [
      ...stateful,
      'iif "lo" accept',
      `iifname "${LAN_BRIDGE}" accept`,
      ...inbound,
      'tcp dport 22 accept',
      'icmp type echo-request accept',
    ]),
    chain('forward', 'type filter hook forward priority filter; policy drop;', [
      ...stateful,
      ...outboundFwd,
      `iifname "${LAN_BRIDGE}" oifname "${WAN}" accept`,
      ...inbound,
      `${wan} ct status dnat accept`,
    ]),
    chain('output', 'type filter hook output priority filter; policy accept;', [...stateful, 'oif "lo" accept', ...outboundLocal]),
    '}',
    'table ip nat {',
    chain('prerouting', 'type nat hook prerouting priority dstnat; policy accept;', dnat),
    chain('postrouting', 'type nat hook postrouting priority srcnat; policy accept;', [
      `oifname "${WAN}" ip saddr ${gw.lanPrefix ?? '0.0.0.0/0'} ${masquerade}`,
    ]),
    '}',
    '',
  ].join('\n');
}

function chain(name: string, hook: string, statements: string[]): string {
  return [`  chain ${name} {`, `    ${hook}`, ...statements.map((s) => `    ${s}`), '  }'].join('\n');
}

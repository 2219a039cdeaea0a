import { PROBE_PAYLOAD_HEX } from '../../../../agent/shared/probe-traffic.js';

/**
 * After the mesh starts, WireGuard owns UDP 51820, so no responder can answer
 * there. Instead the receiving host counts arrivals: a temporary nftables
 * table with a prerouting hook at raw priority (before any filter drops)
 * and one counter per sender. Only probe datagrams count (matched by their
 * payload prefix), never WireGuard's own packets, which may pass a NAT or a
 * stateful firewall as replies to what the receiver sent. Packets that arrive
 * count even if a local rule drops them afterwards, which tells a host block
 * from an upstream one. WireGuard silently ignores the probe datagrams.
 */
export const COUNTER_TABLE = 'spanwise_probe';

/** The counting table of one family (the two can count at once). */
export const counterTable = (family: 4 | 6 = 4) => (family === 4 ? COUNTER_TABLE : `${COUNTER_TABLE}6`);

const ipv4 = (s: string) => /^[0-9.]{7,15}$/.test(s);
const ipv6 = (s: string) => /^[0-9a-f:]{2,39}$/i.test(s) && s.includes(':');

/**
 * Adds the counting table; `senders` maps a sender name to the source
 * addresses (of `family`) it may appear with. IPv4 counts at prerouting (the
 * host's IPv4 rules are judged from its ruleset); IPv6 counts late on input,
 * after every filter chain, so an arrival there passed the host's own rules too.
 */
export function counterAddScript(senders: Record<string, string[]>, port: number, family: 4 | 6 = 4): string {
  const table = counterTable(family);
  const lines = [
    `nft delete table inet ${table} 2>/dev/null || true`,
    `nft add table inet ${table}`,
    `nft add chain inet ${table} pre '{ type filter hook ${family === 4 ? 'prerouting priority -350' : 'input priority 1000'}; policy accept; }'`,
  ];
  for (const [name, addresses] of Object.entries(senders)) {
    const ips = addresses.filter(family === 4 ? ipv4 : ipv6);
    if (ips.length === 0 || !/^[a-z0-9-]{1,63}$/.test(name)) continue;
    lines.push(
      `nft add rule inet ${table} pre ${family === 4 ? 'ip' : 'ip6'} saddr '{ ${ips.join(', ')} }' udp dport ${port} @th,64,64 ${PROBE_PAYLOAD_HEX} counter comment '"from-${name}"'`,
    );
  }
  return lines.join('\n');
}

/** Reads the counters and removes the table. */
export const counterReadScript = (family: 4 | 6 = 4) => `nft list table inet ${counterTable(family)}; nft delete table inet ${counterTable(family)}`;

/** Reads packets per sender from `nft list table` output. */
export function parseCounters(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /counter packets (\d+) bytes \d+ comment "from-([a-z0-9-]{1,63})"/.exec(line);
    if (m) out.set(m[2] as string, Number(m[1]));
  }
  return out;
}

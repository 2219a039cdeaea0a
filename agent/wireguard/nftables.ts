import { PROBE_PAYLOAD_HEX, PROBE_TCP_PORTS } from '../shared/probe-traffic.js';
import { relayForwardChain } from './relay-forward.js';
import { KUBESPAN, type UnderlayService } from './types.js';

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/** TCP MSS for SYNs into the mesh: MTU - 52 over IPv4, MTU - 72 over IPv6 (facts). */
export function mssFor(mtu: number): { v4: number; v6: number } {
  return { v4: mtu - 52, v6: mtu - 72 };
}

function set(name: string, type: string, elements: readonly string[]): string[] {
  const lines = [`  set ${name} {`, `    type ${type}`, '    flags interval', '    auto-merge'];
  if (elements.length) lines.push(`    elements = { ${elements.join(', ')} }`);
  lines.push('  }');
  return lines;
}

/**
 * The nftables ruleset of the mesh, replaced atomically by `nft -f -`: two chains (prerouting at
 * the filter hook, output at the route hook) that accept WireGuard's own packets (mark 0x20),
 * then mark traffic to the routed set with 0x40 (mark = (mark & ~0x60) ^ 0x40); output also
 * accepts lo and clamps the MSS of SYNs. Output also lets the agent's reachability probes out
 * unmarked (datagrams with the probe prefix; TCP from the probe ports and the answers to them), so
 * they test the underlay path that WireGuard uses, not the mesh. A connection a peer opens from outside
 * the mesh (a restarted agent reaching the discovery service on this node before it has its peers)
 * is marked in conntrack, and its replies leave outside the mesh too: into the tunnel they would
 * reach a peer that cannot yet decrypt them. Connections to the underlay services (the discovery
 * service on a mesh node) leave unmarked too, so the mesh never depends on itself to find its
 * peers. A relay node adds the forward chain of its relayed pairs.
 */
export function nftRuleset(
  mtu: number,
  routed: { v4: readonly string[]; v6: readonly string[] },
  forwarded: readonly (readonly [readonly string[], readonly string[]])[] = [],
  local: readonly string[] = [],
  services: readonly UnderlayService[] = [],
): string {
  const t = KUBESPAN.nftTable;
  const matchOwn = `meta mark & ${hex(KUBESPAN.markMask)} == ${hex(KUBESPAN.wireguardMark)} accept`;
  const setMark = `meta mark set meta mark & ${hex(~KUBESPAN.markMask >>> 0)} xor ${hex(KUBESPAN.meshMark)} accept`;
  const mss = mssFor(mtu);
  const underlay = `${hex(KUBESPAN.underlayConnMark)}`;
  const markUnderlay = `ct state new ct mark set ct mark and ${hex(~KUBESPAN.markMask >>> 0)} or ${underlay}`;
  return [
    `table inet ${t} {}`,
    `delete table inet ${t}`,
    `table inet ${t} {`,
    ...set('kubespan_targets_ipv4', 'ipv4_addr', routed.v4),
    ...set('kubespan_targets_ipv6', 'ipv6_addr', routed.v6),
    '  chain kubespan_prerouting {',
    '    type filter hook prerouting priority filter; policy accept;',
    `    ${matchOwn}`,
    `    iifname != "${KUBESPAN.link}" ip saddr @kubespan_targets_ipv4 ${markUnderlay}`,
    `    iifname != "${KUBESPAN.link}" ip6 saddr @kubespan_targets_ipv6 ${markUnderlay}`,
    `    ip daddr @kubespan_targets_ipv4 ${setMark}`,
    `    ip6 daddr @kubespan_targets_ipv6 ${setMark}`,
    '  }',
    '  chain kubespan_outgoing {',
    '    type route hook output priority filter; policy accept;',
    `    ${matchOwn}`,
    '    oifname "lo" accept',
    // IPv6 neighbour discovery answers a peer's underlay address: into the mesh it would never arrive.
    '    icmpv6 type { nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert, nd-redirect } accept',
    `    ct direction reply ct mark & ${hex(KUBESPAN.markMask)} == ${underlay} accept`,
    ...probeBypass(),
    ...services.map((u) => `    ${u.address.includes(':') ? 'ip6' : 'ip'} daddr ${u.address} tcp dport ${u.port} accept`),
    `    ip daddr @kubespan_targets_ipv4 tcp flags & (syn | rst) == syn tcp option maxseg size > ${mss.v4} tcp option maxseg size set ${mss.v4}`,
    `    ip6 daddr @kubespan_targets_ipv6 tcp flags & (syn | rst) == syn tcp option maxseg size > ${mss.v6} tcp option maxseg size set ${mss.v6}`,
    `    ip daddr @kubespan_targets_ipv4 ${setMark}`,
    `    ip6 daddr @kubespan_targets_ipv6 ${setMark}`,
    '  }',
    ...relayForwardChain(forwarded, local),
    '}',
    '',
  ].join('\n');
}

/** Rules that keep probe traffic out of the mesh (see agent/shared/probe-traffic.ts). */
export function probeBypass(): string[] {
  const ports = `${PROBE_TCP_PORTS.first}-${PROBE_TCP_PORTS.last}`;
  return [
    `    meta l4proto udp @th,64,64 ${PROBE_PAYLOAD_HEX} accept`,
    `    tcp sport ${ports} ct direction original accept`,
    `    tcp dport ${ports} ct direction reply accept`,
  ];
}

/** Removes the mesh's nftables table (ignore "No such file" when absent). */
export function nftDeleteCommand(): string[] {
  return ['nft', 'delete', 'table', 'inet', KUBESPAN.nftTable];
}

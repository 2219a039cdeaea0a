import { expect } from 'vitest';
import { hostPaths } from '../../agent/shared/host-paths.js';
import { KUBESPAN } from '../../agent/wireguard/types.js';
import { labExec } from './exec.js';

/** A lab host's underlay interface (its link onto the public net or its site's LAN). */
const UNDERLAY = 'eth0';
const TABLE = 'swlab_relay_traffic';
const COUNTERS = ['wireguard_in', 'wireguard_out', 'ends_underlay', 'echo_underlay', 'ends_link', 'echo_link'] as const;

/**
 * Packets a relay host saw since `countRelayTraffic` set its counters: WireGuard UDP 51820 in and
 * out of the underlay, and packets from or to the relayed ends' mesh addresses and ICMPv6 echo,
 * each on the underlay and on the mesh link.
 */
export type RelayTraffic = Record<(typeof COUNTERS)[number], number>;

/** Counters in a relay host's namespace; `remove` deletes their table. */
interface RelayTrafficCounters {
  read(): Promise<RelayTraffic>;
  remove(): Promise<void>;
}

/** The rules counting the relayed ends' cleartext (addresses, echo) on interface `dir` `name`. */
function clearRules(dir: 'iifname' | 'oifname', name: string, suffix: 'underlay' | 'link', ends: string): string[] {
  return [
    `    ${dir} "${name}" ip6 saddr { ${ends} } counter name ends_${suffix}`,
    `    ${dir} "${name}" ip6 daddr { ${ends} } counter name ends_${suffix}`,
    `    ${dir} "${name}" icmpv6 type { echo-request, echo-reply } counter name echo_${suffix}`,
  ];
}

/**
 * Adds a table of named counters to `host`'s nftables (before anything else sees a packet, and
 * after everything else did) for the traffic between the mesh addresses `ends` relayed through it.
 * The same matches on the mesh link show they catch the relayed packets where they are clear.
 */
async function countRelayTraffic(host: string, ends: string[]): Promise<RelayTrafficCounters> {
  const set = ends.join(', ');
  const ruleset = [
    `table inet ${TABLE} {`,
    ...COUNTERS.map((c) => `  counter ${c} { }`),
    '  chain in {',
    '    type filter hook prerouting priority raw - 10; policy accept;',
    `    iifname "${UNDERLAY}" udp dport 51820 counter name wireguard_in`,
    ...clearRules('iifname', UNDERLAY, 'underlay', set),
    ...clearRules('iifname', KUBESPAN.link, 'link', set),
    '  }',
    '  chain out {',
    '    type filter hook postrouting priority srcnat + 10; policy accept;',
    `    oifname "${UNDERLAY}" udp sport 51820 counter name wireguard_out`,
    ...clearRules('oifname', UNDERLAY, 'underlay', set),
    '  }',
    '}',
    '',
  ].join('\n');
  await labExec(host, ['nft', '-f', '-'], { input: ruleset });
  return {
    async read() {
      const listed = JSON.parse((await labExec(host, ['nft', '-j', 'list', 'counters', 'table', 'inet', TABLE])).stdout) as {
        nftables: Array<{ counter?: { name: string; packets: number } }>;
      };
      const packets = new Map(listed.nftables.flatMap((o) => (o.counter ? [[o.counter.name, o.counter.packets] as const] : [])));
      return Object.fromEntries(COUNTERS.map((c) => [c, packets.get(c) ?? Number.NaN])) as RelayTraffic;
    },
    async remove() {
      await labExec(host, ['nft', 'delete', 'table', 'inet', TABLE], { allowFailure: true });
    },
  };
}

/** The packet counter of `host`'s relay forward rule from `from`'s mesh address to `to`'s (NaN when there is none). */
async function forwarded(host: string, from: string, to: string): Promise<number> {
  const chain = (await labExec(host, ['nft', 'list', 'chain', 'inet', KUBESPAN.nftTable, 'kubespan_forward'])).stdout;
  const rule = chain.split('\n').find((l) => l.includes(`ip6 saddr ${from} ip6 daddr ${to} counter`));
  return Number(/counter packets (\d+)/.exec(rule ?? '')?.[1] ?? Number.NaN);
}

/** A relayed end: its lab host and its mesh address. */
export interface RelayedEnd {
  host: string;
  address: string;
}

/**
 * Pings each end from the other `count` times over their mesh addresses and checks on `relay`
 * that its forward rules carried every packet both ways, that they crossed its underlay as
 * WireGuard UDP 51820 in and out, and that nothing to or from the ends' mesh addresses and no
 * ICMPv6 echo crossed it in clear (while the same matches count them on the mesh link). The
 * counters' table is removed afterwards.
 */
export async function expectRelayedEncrypted(relay: string, [a, b]: [RelayedEnd, RelayedEnd], count = 3): Promise<void> {
  const traffic = await countRelayTraffic(relay, [a.address, b.address]);
  try {
    const rules = async () => [await forwarded(relay, a.address, b.address), await forwarded(relay, b.address, a.address)];
    const [rulesBefore, before] = [await rules(), await traffic.read()];
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const)
      expect((await labExec(from.host, ['ping', '-6', '-c', String(count), '-W', '3', to.address])).code, `ping from ${from.host} to ${to.host}`).toBe(0);
    const [rulesAfter, after] = [await rules(), await traffic.read()];
    rulesAfter.forEach((n, i) =>
      expect(n, `${relay}'s forward rule ${i === 0 ? 'a to b' : 'b to a'}`).toBeGreaterThanOrEqual((rulesBefore[i] ?? 0) + 2 * count),
    );
    for (const counter of ['wireguard_in', 'wireguard_out', 'ends_link', 'echo_link'] as const)
      expect(after[counter], counter).toBeGreaterThanOrEqual(before[counter] + 4 * count);
    expect({ ends: after.ends_underlay, echo: after.echo_underlay }, `cleartext on ${relay}'s ${UNDERLAY}`).toEqual({ ends: 0, echo: 0 });
  } finally {
    await traffic.remove();
  }
  expect((await labExec(relay, ['nft', 'list', 'table', 'inet', TABLE], { allowFailure: true })).code, `table ${TABLE} left on ${relay}`).not.toBe(0);
}

/** The line of `spanwise-agent get peerstatuses` on `on` for the peer `name` (empty when it lists none). */
export async function peerStatusLine(on: string, name: string): Promise<string> {
  const table = (await labExec(on, ['node', hostPaths.agent, 'get', 'peerstatuses'])).stdout.split('\n');
  if (!/STATE .* VIA$/.test(table[0] ?? '')) throw new Error(`spanwise-agent get peerstatuses on ${on} printed no STATE ... VIA header: ${table[0]}`);
  return table.find((l) => new RegExp(` ${name} `).test(l)) ?? '';
}

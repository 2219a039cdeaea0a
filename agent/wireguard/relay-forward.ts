import type { CommandSpec } from '../system/command.js';
import { KUBESPAN } from './types.js';

const family = (cidrs: readonly string[], v6: boolean) => cidrs.filter((c) => c.includes(':') === v6);

function pairRules(a: readonly string[], b: readonly string[]): string[] {
  const rules: string[] = [];
  for (const [proto, v6] of [
    ['ip', false],
    ['ip6', true],
  ] as const) {
    const [from, to] = [family(a, v6), family(b, v6)];
    if (!from.length || !to.length) continue;
    for (const [src, dst] of [
      [from, to],
      [to, from],
    ] as const)
      rules.push(
        `    iifname "${KUBESPAN.link}" oifname "${KUBESPAN.link}" ${proto} saddr { ${src.join(', ')} } ${proto} daddr { ${dst.join(', ')} } counter accept`,
      );
  }
  return rules;
}

/** This node's own routed prefixes (the pod networks it advertises): the mesh carries them to and from it. */
function localRules(local: readonly string[]): string[] {
  return (['ip', 'ip6'] as const).flatMap((proto) => {
    const own = family(local, proto === 'ip6');
    return own.length
      ? [
          `    iifname "${KUBESPAN.link}" ${proto} daddr { ${own.join(', ')} } accept`,
          `    oifname "${KUBESPAN.link}" ${proto} saddr { ${own.join(', ')} } accept`,
        ]
      : [];
  });
}

/**
 * The forward chain of a relay node: packets between the two ends of each relayed pair may go
 * from the mesh link back into it (WireGuard encrypts them again for the other end), and the mesh
 * still carries this node's own advertised prefixes (`local`, its pod networks); anything else
 * forwarded to or from the link is dropped, so nothing leaves the mesh in clear and nothing from
 * outside is carried into it. Empty when the node relays nothing.
 */
export function relayForwardChain(pairs: readonly (readonly [readonly string[], readonly string[]])[], local: readonly string[] = []): string[] {
  if (!pairs.length) return [];
  const link = KUBESPAN.link;
  return [
    '  chain kubespan_forward {',
    '    type filter hook forward priority filter; policy accept;',
    ...pairs.flatMap(([a, b]) => pairRules(a, b)),
    ...localRules(local),
    `    iifname "${link}" counter drop`,
    `    oifname "${link}" counter drop`,
    '  }',
  ];
}

/** The sysctls that let the mesh link forward (IPv4 per link; IPv6 per link needs force_forwarding, Linux 6.17+). */
export const FORWARDING_SYSCTLS = [`net.ipv4.conf.${KUBESPAN.link}.forwarding`, `net.ipv6.conf.${KUBESPAN.link}.force_forwarding`] as const;

/** The command that turns forwarding on the mesh link on or off. */
export function forwardingCommand(on: boolean): CommandSpec {
  return { argv: ['sysctl', '-q', '-w', ...FORWARDING_SYSCTLS.map((key) => `${key}=${on ? 1 : 0}`)] };
}

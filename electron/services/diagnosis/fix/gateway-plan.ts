import { formatIp, parseIp } from '../../../../agent/shared/ip.js';
import type { GatewayForward } from '../../../contract/diagnosis.js';
import { shellQuote } from '../../ssh/shell.js';
import { judgeNftables } from '../firewall/nftables.js';
import { marker } from './boot-paths.js';
import { chainText, fixComment, nftChain, type NftChain } from './names.js';

/** The table that holds the gateway's DNAT: the revert deletes it whole. */
export const GATEWAY_TABLE = 'ip spanwise-gw';

/** A link name as `ip` prints it. */
const LINK = /^[A-Za-z0-9_.-]{1,15}$/;

/** The fix's id on the gateway: its rules carry the comment `spanwise:<id>`. */
export const gatewayFixId = (f: Pick<GatewayForward, 'protocol' | 'port'>) => `gw-${f.protocol}-${f.port}`;

/** What the gateway holds, read over SSH when the fix is applied. */
export interface GatewayState {
  /** The link that holds the public address. */
  publicLink: string;
  /** `nft -j list ruleset` output, or null where the gateway has no nft (iptables then). */
  nftRuleset: string | null;
}

/** The commands of a gateway fix, or why there are none. */
export type GatewayPlan = { apply: string[]; revert: string[] } | { refusal: string };

const ipv4 = (text: string) => {
  const parsed = parseIp(text);
  const formatted = parsed ? formatIp(parsed) : null;
  return formatted && formatted.includes('.') ? formatted : null;
};

/** The forward with every field checked: IPv4 addresses, a port, tcp or udp. Null when anything is off. */
export function checkedForward(f: GatewayForward): GatewayForward | null {
  const publicAddress = ipv4(f.publicAddress);
  const nodeAddress = ipv4(f.nodeAddress);
  const portOk = Number.isInteger(f.port) && f.port > 0 && f.port < 65536 && (f.protocol === 'tcp' || f.protocol === 'udp');
  return publicAddress && nodeAddress && portOk ? { ...f, publicAddress, nodeAddress } : null;
}

/** The accept a forward chain gets, as nft reads it after `insert rule <chain>`. */
const acceptBody = (f: GatewayForward, link: string) =>
  `iifname "${link}" ip daddr ${f.nodeAddress} ${f.protocol} dport ${f.port} accept comment "${fixComment(gatewayFixId(f))}"`;

/** Deletes, by the handles the chain holds now, every rule of the fix in one chain. */
const deleteTagged = (c: NftChain, id: string) =>
  `nft -a list chain ${chainText(c)} | sed -n ${shellQuote(`s/.* comment "${fixComment(id)}" # handle \\([0-9][0-9]*\\)$/\\1/p`)} | while read -r h; do nft delete rule ${chainText(c)} handle "$h"; done`;

/**
 * The nftables plan: a DNAT of the port on the public address to the node in
 * Spanwise's own table (before other NAT chains), and an accept at the top of
 * the forward chain that drops the forwarded packet, as the judge finds it
 * (an accept elsewhere would not stop that drop). The revert deletes the table
 * and the tagged accepts.
 */
function nftPlan(f: GatewayForward, link: string, ruleset: string): GatewayPlan {
  const id = gatewayFixId(f);
  const verdict = judgeNftables(ruleset, { protocol: f.protocol, port: f.port, direction: 'forward', iface: link });
  if (verdict.verdict === 'unknown')
    return { refusal: `the gateway's forward path for ${f.protocol} ${f.port} cannot be judged: ${verdict.reason ?? 'unknown'}` };
  const chains = verdict.verdict === 'block' ? verdict.anchors.map(nftChain) : [];
  if (chains.some((c) => c === null))
    return { refusal: `the gateway's forward chain (${verdict.anchors.join(', ')}) is not a plain name, so Spanwise puts it in no command` };
  const forward = chains as NftChain[];
  const dnat = `ip daddr ${f.publicAddress} ${f.protocol} dport ${f.port} dnat to ${f.nodeAddress}:${f.port} comment "${fixComment(id)}"`;
  return {
    apply: [
      `nft add table ${GATEWAY_TABLE}`,
      `nft ${shellQuote(`add chain ${GATEWAY_TABLE} prerouting { type nat hook prerouting priority -101; policy accept; }`)}`,
      `nft add rule ${GATEWAY_TABLE} prerouting ${shellQuote(dnat)}`,
      marker.change('runtime', 'added', `table ${GATEWAY_TABLE} (DNAT of ${f.protocol} ${f.port} on ${f.publicAddress} to ${f.nodeAddress})`),
      ...forward.flatMap((c) => [
        `nft insert rule ${chainText(c)} ${shellQuote(acceptBody(f, link))}`,
        marker.change('runtime', 'added', `rule ${chainText(c)} accepting ${f.protocol} ${f.port} to ${f.nodeAddress}`),
      ]),
    ],
    revert: [
      `nft delete table ${GATEWAY_TABLE} 2>/dev/null && ${marker.change('runtime', 'removed', `table ${GATEWAY_TABLE}`)}`,
      ...forward.flatMap((c) => [deleteTagged(c, id), marker.change('runtime', 'removed', `the rules commented ${fixComment(id)} in ${chainText(c)}`)]),
    ],
  };
}

/** The iptables plan: the DNAT and the forward accept, each first in its chain and tagged; the revert deletes both by their spec. */
function iptablesPlan(f: GatewayForward, link: string): GatewayPlan {
  const tag = `-m comment --comment ${fixComment(gatewayFixId(f))}`;
  const dnat = `PREROUTING -i ${link} -d ${f.publicAddress} -p ${f.protocol} --dport ${f.port} ${tag} -j DNAT --to-destination ${f.nodeAddress}:${f.port}`;
  const accept = `FORWARD -i ${link} -d ${f.nodeAddress} -p ${f.protocol} --dport ${f.port} ${tag} -j ACCEPT`;
  return {
    apply: [
      `iptables -t nat -I ${dnat.replace('PREROUTING', 'PREROUTING 1')}`,
      `iptables -I ${accept.replace('FORWARD', 'FORWARD 1')}`,
      marker.change('runtime', 'added', `iptables DNAT and FORWARD accept of ${f.protocol} ${f.port} to ${f.nodeAddress}`),
    ],
    revert: [
      `iptables -t nat -D ${dnat} && ${marker.change('runtime', 'removed', 'iptables DNAT of the fix')}`,
      `iptables -D ${accept} && ${marker.change('runtime', 'removed', 'iptables FORWARD accept of the fix')}`,
    ],
  };
}

/** The gateway fix for a forward, from what the gateway holds; a refusal names what is off. */
export function gatewayPlan(forward: GatewayForward, state: GatewayState): GatewayPlan {
  const f = checkedForward(forward);
  if (!f)
    return {
      refusal: `the forward (${forward.publicAddress} to ${forward.nodeAddress}, ${forward.protocol} ${forward.port}) is not two IPv4 addresses and a port`,
    };
  if (!LINK.test(state.publicLink)) return { refusal: `no link on the gateway holds ${f.publicAddress} (read '${state.publicLink.slice(0, 40)}')` };
  return state.nftRuleset === null ? iptablesPlan(f, state.publicLink) : nftPlan(f, state.publicLink, state.nftRuleset);
}

/** The script that reads a gateway's state: the link of the public address, then `nft` or `iptables`, then the ruleset. */
export function readGatewayScript(publicAddress: string): string {
  return [
    `ip -o -4 addr show | awk -v a=${shellQuote(publicAddress)} '{ split($4, p, "/"); if (p[1] == a) { print $2; exit } }'`,
    'echo ---',
    'if command -v nft >/dev/null 2>&1; then echo nft; nft -j list ruleset; else echo iptables; fi',
  ].join('\n');
}

/** Reads the output of `readGatewayScript`. */
export function parseGatewayState(stdout: string): GatewayState {
  const [head = '', rest = ''] = stdout.split('---\n');
  const [tool = '', ...ruleset] = rest.split('\n');
  return { publicLink: head.trim(), nftRuleset: tool.trim() === 'nft' ? ruleset.join('\n') : null };
}

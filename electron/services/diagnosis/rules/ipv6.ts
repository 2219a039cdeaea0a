import type { Finding } from '../../../contract/diagnosis.js';
import { AGENT_API_PORT, MESH_PORT } from '../../../../agent/shared/ports.js';
import { finding, type DiagnosisContext, type ProbedPort } from '../context.js';

const ports: Array<{ key: ProbedPort; protocol: 'udp' | 'tcp'; port: number }> = [
  { key: 'udp51820', protocol: 'udp', port: MESH_PORT },
  { key: 'tcp50000', protocol: 'tcp', port: AGENT_API_PORT },
];

/**
 * IPV6_ONLY_BLOCKED: a port into a node is open over IPv4 and blocked over
 * IPv6 from every sender probed on both (at least one, and each of them gets
 * IPv6 through to some other node, so its own way out works): an `ip6` or
 * `inet` rule, ip6tables, or an IPv6-only rule upstream. Warning: peers that
 * dial its IPv6 endpoint first wait for rotation to an IPv4 one.
 */
export function ipv6Rule(ctx: DiagnosisContext): Finding[] {
  const out: Finding[] = [];
  for (const { key, protocol, port } of ports) {
    for (const name of ctx.names) {
      const others = ctx.names.filter((n) => n !== name);
      const probed = others.filter((o) => ctx.reach(key, o, name, 6) !== 'unknown');
      if (probed.length === 0 || probed.some((o) => ctx.reach(key, o, name, 6) === 'open')) continue;
      const senders = probed.filter(
        (o) => ctx.reach(key, o, name, 4) === 'open' && ctx.names.some((t) => t !== o && t !== name && ctx.reach(key, o, t, 6) === 'open'),
      );
      if (senders.length === 0 || senders.length < probed.length) continue;
      const label = `${protocol.toUpperCase()} ${port}`;
      out.push(
        finding('IPV6_ONLY_BLOCKED', 'warning', [name], {
          port,
          protocol,
          evidence: [
            `${label} from ${senders.join(', ')} arrives at ${name} over IPv4 but never over IPv6`,
            `each of them reaches other nodes over IPv6, so the block is in front of ${name}: a rule that filters IPv6 only`,
          ],
          remediation: {
            summary: `Allow ${label} inbound over IPv6 on ${name}: in nftables an accept in its ip6 or inet input chain (nft insert rule inet filter input ${protocol} dport ${port} accept), with ip6tables (ip6tables -I INPUT -p ${protocol} --dport ${port} -j ACCEPT), or the IPv6 rules of its security group or gateway.`,
            hostFixes: [],
            changeRequest: `Change request: allow inbound ${label} over IPv6 (::/0 or the cluster's IPv6 addresses) to ${name} in the IPv6 rules of the firewall or security group in front of it.`,
          },
        }),
      );
    }
  }
  return out;
}

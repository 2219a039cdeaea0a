import type { Finding } from '../../../contract/diagnosis.js';
import { finding, type DiagnosisContext } from '../context.js';
import { MESH_PORT } from '../../../../agent/shared/ports.js';
import { localVerdict, openPortRemediation } from '../remediation/open-port.js';
import { canHolePunch } from '../nat.js';

const UDP = { protocol: 'udp', port: MESH_PORT } as const;

/**
 * UDP_51820_INBOUND_BLOCKED: a node's own rule drops or rejects UDP 51820
 * (where: host, the rule quoted), or probes from other nodes never arrive while
 * local rules allow it (where: upstream). A plain edge node behind NAT with
 * no forward at all is left to BEHIND_NAT: having no inbound there is expected.
 * Error when a pair with this node is down, or has no inbound end and cannot
 * hole-punch; else warning.
 */
export function udpInboundRule(ctx: DiagnosisContext): Finding[] {
  const out: Finding[] = [];
  for (const name of ctx.names) {
    const others = ctx.names.filter((n) => n !== name);
    const blocked = others.filter((o) => ctx.inbound('udp51820', o, name) === 'blocked');
    const open = others.filter((o) => ctx.udp(o, name) === 'open');
    const local = localVerdict(ctx, name, UDP);
    const host = local.verdict === 'block';
    if (!host && blocked.length === 0) continue;
    const nat = ctx.nat(name);
    const node = ctx.node(name);
    const forwarded =
      others.some((o) => ctx.tcp(o, name) === 'open') ||
      node.apiFromDesktop.some((a) => a.reachable && nat.publicIp !== null && a.target.startsWith(`${nat.publicIp}:`));
    if (!host && nat.behindNat && node.site === 'edge' && !forwarded) continue;
    if (!host && open.length > 0 && blocked.length === 0) continue;
    const closedPairs = others.filter((o) => ctx.udp(o, name) !== 'open' && ctx.inbound('udp51820', name, o) === 'blocked');
    const down = others.filter((o) => ctx.pairState(name, o) === 'down');
    const evidence: string[] = [];
    if (host) evidence.push(`${name}'s ${local.firewall} blocks it: ${local.rule}`);
    else if (local.verdict === 'allow')
      evidence.push(`${name}'s own firewall allows UDP ${MESH_PORT} inbound${local.firewall ? ` (${local.firewall})` : ' (no local rules)'}`);
    if (blocked.length > 0) evidence.push(`UDP ${MESH_PORT} sent by ${blocked.join(', ')} never arrived at ${name}`);
    if (open.length > 0) evidence.push(`UDP ${MESH_PORT} from ${open.join(', ')} does arrive`);
    if (nat.behindNat)
      evidence.push(
        `${name} is behind NAT (public address ${nat.publicIp ?? 'unknown'})${forwarded ? '; its gateway forwards other ports to it (TCP 50000 answers)' : ''}`,
      );
    if (!host)
      evidence.push(
        `so the block is upstream of the host: ${nat.behindNat ? 'the gateway in front of it' : node.site === 'cloud' ? 'a cloud security group or network firewall' : 'a network firewall'}`,
      );
    for (const o of closedPairs) evidence.push(`${o} does not accept UDP ${MESH_PORT} inbound either, so the pair ${name}/${o} has no inbound end`);
    out.push(
      finding('UDP_51820_INBOUND_BLOCKED', down.length > 0 || closedPairs.some((o) => !canHolePunch(nat, ctx.nat(o))) ? 'error' : 'warning', [name], {
        port: MESH_PORT,
        protocol: 'udp',
        where: host ? 'host' : 'upstream',
        evidence,
        remediation: openPortRemediation(ctx, name, UDP),
      }),
    );
  }
  return out;
}

import type { Finding, Remediation } from '../../../contract/diagnosis.js';
import type { SiteKind } from '../../../contract/machines.js';
import { AGENT_API_PORT, MESH_PORT } from '../../../../agent/shared/ports.js';
import { finding, type DiagnosisContext, type Egress, type ProbedPort } from '../context.js';
import { hostFixFor, type PortSpec } from '../remediation/host-fixes.js';
import { upstreamSnippets } from '../remediation/snippets.js';

const ports: Array<{ key: ProbedPort; spec: PortSpec; code: 'UDP_51820_OUTBOUND_BLOCKED' | 'TCP_50000_OUTBOUND_BLOCKED' }> = [
  { key: 'udp51820', spec: { protocol: 'udp', port: MESH_PORT }, code: 'UDP_51820_OUTBOUND_BLOCKED' },
  { key: 'tcp50000', spec: { protocol: 'tcp', port: AGENT_API_PORT }, code: 'TCP_50000_OUTBOUND_BLOCKED' },
];

const label = (p: PortSpec) => `${p.protocol.toUpperCase()} ${p.port}`;

/** Text for whoever runs the network in front of a node whose outbound traffic to a port is dropped (a site gateway, an egress policy). */
export function egressChangeRequest(node: string, site: SiteKind, publicIp: string | null, p: PortSpec, destinations: string[]): string {
  const where =
    site === 'cloud'
      ? 'in the outbound rules of its cloud security group or network firewall'
      : site === 'datacenter'
        ? "in the datacenter gateway's egress policy (its forward chain or outbound rules)"
        : 'in the router or firewall in front of it';
  const to = destinations.length > 0 ? `to the cluster's nodes (${destinations.join(', ')}), or to anywhere if nodes move` : 'to anywhere';
  return `Change request: allow outbound ${label(p)} from ${node}${publicIp ? ` (seen as ${publicIp})` : ''} ${to}, ${where}; replies must pass too (a stateful rule does that).`;
}

/** How to let a port out of a node: its own firewall's fix, or a change request for the network in front of it. */
export function egressRemediation(ctx: DiagnosisContext, name: string, p: PortSpec, egress: Egress): Remediation {
  const local = egress.local;
  if (local?.verdict === 'block') {
    const fix = local.firewall === 'nftables' || local.firewall === 'iptables' ? hostFixFor(name, local, p) : null;
    if (fix) return { summary: `Allow ${label(p)} outbound in ${name}'s ${fix.firewall} (revert commands included).`, hostFixes: [fix], changeRequest: null };
    const by =
      local.firewall === 'ufw' ? `ufw allow out ${p.port}/${p.protocol}` : local.firewall === 'firewalld' ? 'a firewalld policy from HOST to ANY' : 'a rule';
    return { summary: `Allow ${label(p)} outbound in ${name}'s ${local.firewall ?? 'firewall'} by hand (${by}).`, hostFixes: [], changeRequest: null };
  }
  const destinations = egress.targets.flatMap((t) => ctx.publicAddress(t) ?? []);
  return {
    summary: `Allow ${label(p)} outbound from ${name} upstream of the host (a change request: Spanwise cannot reach that network).`,
    hostFixes: [],
    changeRequest: egressChangeRequest(name, ctx.node(name).site, ctx.nat(name).publicIp, p, destinations),
    snippets: upstreamSnippets({
      ...p,
      node: name,
      site: ctx.node(name).site,
      kind: 'egress',
      address: ctx.ownAddress(name),
      publicAddress: null,
      peers: destinations,
    }),
  };
}

/**
 * UDP_51820_OUTBOUND_BLOCKED and TCP_50000_OUTBOUND_BLOCKED: a node's new
 * outbound traffic to the port is dropped, by its own output rules (where:
 * host, the rule quoted) or upstream (a gateway that drops outbound UDP),
 * while peers that others reach never get it (DiagnosisContext.egress).
 * UDP is an error when a pair with the node is down, else a warning (peers
 * that dial it still bring pairs up); TCP is a warning.
 */
export function egressRule(ctx: DiagnosisContext): Finding[] {
  const out: Finding[] = [];
  for (const { key, spec, code } of ports) {
    for (const name of ctx.names) {
      const egress = ctx.egress(name, key);
      if (!egress) continue;
      const host = egress.local?.verdict === 'block';
      const others = ctx.names.filter((n) => n !== name);
      const inbound = others.filter((o) => ctx.reach(key, o, name) === 'open');
      const evidence: string[] = [];
      if (host) evidence.push(`${name}'s ${egress.local?.firewall} blocks it outbound: ${egress.local?.rule}`);
      if (egress.targets.length > 0) {
        const reachers = egress.targets.map((t) => `${t} (from ${others.filter((p) => p !== t && ctx.reach(key, p, t) === 'open').join(', ')})`);
        evidence.push(`${label(spec)} sent by ${name} never arrived at ${egress.targets.join(', ')}, though other nodes reach them: ${reachers.join('; ')}`);
      }
      if (inbound.length > 0) evidence.push(`${label(spec)} from ${inbound.join(', ')} into ${name} does arrive, so the path works the other way`);
      if (!host) {
        if (egress.local?.verdict === 'allow') evidence.push(`${name}'s own firewall lets it out`);
        evidence.push(
          `so it is dropped upstream of ${name} on the way out: ${ctx.nat(name).behindNat ? `the gateway in front of it (${ctx.nat(name).publicIp ?? 'its public address'})` : ctx.node(name).site === 'cloud' ? 'an outbound security-group or network-firewall rule' : 'a network firewall'}`,
        );
      }
      const down = others.filter((o) => ctx.pairState(name, o) === 'down');
      if (down.length > 0)
        evidence.push(`the pair${down.length > 1 ? 's' : ''} ${down.map((o) => `${name}/${o}`).join(', ')} ${down.length > 1 ? 'are' : 'is'} down`);
      if (key === 'udp51820' && down.length === 0 && inbound.length > 0)
        evidence.push(`pairs come up only when the peer dials ${name} first; a peer that cannot accept inbound never pairs with it`);
      out.push(
        finding(code, key === 'udp51820' && down.length > 0 ? 'error' : 'warning', [name], {
          port: spec.port,
          protocol: spec.protocol,
          where: host ? 'host' : 'upstream',
          evidence,
          remediation: egressRemediation(ctx, name, spec, egress),
        }),
      );
    }
  }
  return out;
}

import type { Remediation } from '../../../contract/diagnosis.js';
import type { DiagnosisContext } from '../context.js';
import type { LocalVerdict } from '../evidence.js';
import { gatewayForwardRequest, networkFirewallRequest } from './change-requests.js';
import { hostFixFor, type PortSpec } from './host-fixes.js';
import { upstreamSnippets } from './snippets.js';

const label = (p: PortSpec) => `${p.protocol.toUpperCase()} ${p.port}`;

/** How a summary says that a gateway's forward is a change request (replaced where Spanwise reaches the gateway after all). */
export const UNREACHED_GATEWAY = '(a change request: Spanwise cannot reach the gateway)';

/** The local verdict for a port on a node (unknown when its firewall was not read). */
export function localVerdict(ctx: DiagnosisContext, node: string, p: PortSpec): LocalVerdict {
  const fw = ctx.node(node).firewall;
  const none: LocalVerdict = { verdict: 'unknown', firewall: null, rule: null, anchors: [] };
  if (!fw) return none;
  return p.protocol === 'udp' ? fw.udp51820 : fw.tcp50000;
}

/**
 * How to open a port inbound on a node: commands for its own firewall when a
 * local rule blocks it; else a change request for what is upstream (a forward
 * on the gateway for a node behind NAT; a security group or network firewall
 * rule otherwise).
 */
export function openPortRemediation(ctx: DiagnosisContext, node: string, p: PortSpec): Remediation {
  const local = localVerdict(ctx, node, p);
  const fix = hostFixFor(node, local, p);
  if (fix)
    return {
      summary: `Open ${label(p)} inbound in ${node}'s ${fix.firewall} (${fix.apply.length} command${fix.apply.length > 1 ? 's' : ''}; revert commands included).`,
      hostFixes: [fix],
      changeRequest: null,
    };
  if (local.verdict === 'block' && local.firewall) {
    return {
      summary: `Open ${label(p)} inbound in ${node}'s ${local.firewall} by hand: its table, chain or zone names (${local.anchors.join(', ')}) are not plain identifiers, so Spanwise puts them in no command.`,
      hostFixes: [],
      changeRequest: null,
    };
  }
  const site = ctx.node(node).site;
  if (ctx.nat(node).behindNat) {
    return {
      summary: `Forward ${label(p)} to ${node} on the gateway in front of it ${UNREACHED_GATEWAY}.`,
      ...gatewayForward(ctx, node, p),
    };
  }
  const sources = ctx.names.filter((n) => n !== node).flatMap((n) => ctx.sourceAddresses(n).slice(0, 1));
  const address = ctx.publicAddress(node);
  return {
    summary: `Allow ${label(p)} inbound to ${node} upstream of the host (a change request for the ${site === 'cloud' ? 'security group' : 'network firewall'}).`,
    hostFixes: [],
    changeRequest: networkFirewallRequest(node, site, address, p, sources),
    snippets: upstreamSnippets({ ...p, node, site, kind: 'allow', address, publicAddress: address, peers: sources }),
  };
}

/** The forward a node behind NAT needs on its gateway: the change request, and the same as commands. */
export function gatewayForward(ctx: DiagnosisContext, node: string, p: PortSpec): Omit<Remediation, 'summary'> {
  const nat = ctx.nat(node);
  const address = ctx.ownAddress(node);
  return {
    hostFixes: [],
    changeRequest: gatewayForwardRequest(node, nat.publicIp, address, p),
    snippets: upstreamSnippets({ ...p, node, site: ctx.node(node).site, kind: 'forward', address, publicAddress: nat.publicIp, peers: [] }),
    ...(nat.publicIp && address ? { gateway: { node, ...p, publicAddress: nat.publicIp, nodeAddress: address } } : {}),
  };
}

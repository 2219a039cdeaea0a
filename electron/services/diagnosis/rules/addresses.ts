import { isLinkLocal, isLoopback, parseEndpoint, parsePrefix } from '../../../../agent/shared/ip.js';
import type { Finding } from '../../../contract/diagnosis.js';
import { finding, type DiagnosisContext } from '../context.js';

const unroutable = (bytes: Uint8Array, family: 4 | 6) => bytes.every((b) => b === 0) || (family === 4 && bytes[0] === 0);

/**
 * LINK_LOCAL_NODE_ADDRESS: a node advertises a link-local, loopback or
 * unspecified endpoint (warning: peers dial nothing there), or has an IPv4
 * link-local address on a link that a CNI may pick as the node IP (info).
 */
export function addressRule(ctx: DiagnosisContext): Finding[] {
  const out: Finding[] = [];
  for (const name of ctx.names) {
    const node = ctx.node(name);
    const bad = node.endpoints.filter((e) => {
      const ep = parseEndpoint(e);
      return ep !== undefined && (isLinkLocal(ep.addr) || isLoopback(ep.addr) || unroutable(ep.addr.bytes, ep.addr.family));
    });
    const linkLocal = node.addresses.filter((a) => {
      const p = parsePrefix(a.includes('/') ? a : `${a}/32`);
      return p !== undefined && p.addr.family === 4 && isLinkLocal(p.addr);
    });
    if (bad.length === 0 && linkLocal.length === 0) continue;
    const evidence = [
      ...(bad.length > 0 ? [`${name} advertises ${bad.join(', ')}, which no peer can reach`] : []),
      ...(linkLocal.length > 0
        ? [
            `${name} has link-local address${linkLocal.length > 1 ? 'es' : ''} ${linkLocal.join(', ')} (e.g. a cloud "anchor" address); a CNI that picks it as the node IP leaves the node out of the mesh`,
          ]
        : []),
    ];
    out.push(
      finding('LINK_LOCAL_NODE_ADDRESS', bad.length > 0 ? 'warning' : 'info', [name], {
        evidence,
        remediation: {
          summary: `Exclude link-local ranges from ${name}'s advertised endpoints and node IP.`,
          hostFixes: [],
          changeRequest: `Add endpoint filters "!169.254.0.0/16" and "!fe80::/10" to the cluster's KubeSpan config, and set the kubelet/CNI node IP to a routable address of ${name}.`,
        },
      }),
    );
  }
  return out;
}

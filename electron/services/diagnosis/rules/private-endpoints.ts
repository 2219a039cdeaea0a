import { parseEndpoint, parsePrefix, prefixContains, type IpAddr } from '../../../../agent/shared/ip.js';
import type { Finding } from '../../../contract/diagnosis.js';
import { MESH_PORT } from '../../../../agent/shared/ports.js';
import { finding, type DiagnosisContext } from '../context.js';

/** Ranges no peer off the node's own network can dial: RFC 1918, shared CGNAT space, link-local, ULA. */
const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', 'fc00::/7', 'fe80::/10'].map((p) => parsePrefix(p)!);

export const isPrivateIp = (ip: IpAddr): boolean => PRIVATE.some((p) => prefixContains(p, ip));

/**
 * ENDPOINTS_PRIVATE_ONLY: a node advertises only private endpoints and the
 * discovery service reflected no public address for it, so peers off its LAN
 * have nothing to dial (warning; they can still reach it only if it dials them).
 */
export function privateEndpointsRule(ctx: DiagnosisContext): Finding[] {
  return ctx.names.flatMap((name) => {
    const node = ctx.node(name);
    if (node.reflectedIp !== null || node.endpoints.length === 0) return [];
    const parsed = node.endpoints.map((e) => parseEndpoint(e));
    if (!parsed.every((ep) => ep !== undefined && isPrivateIp(ep.addr))) return [];
    const away = ctx.names.filter((o) => o !== name && !ctx.sameLan(o, name));
    if (away.length === 0) return [];
    const why =
      node.discovery && !node.discovery.reachable
        ? `it cannot reach the discovery service (${node.discovery.target}), which would reflect the address it comes from`
        : 'the discovery service reflected no address for it';
    return [
      finding('ENDPOINTS_PRIVATE_ONLY', 'warning', [name], {
        port: MESH_PORT,
        protocol: 'udp',
        evidence: [
          `${name} advertises only private endpoints: ${node.endpoints.join(', ')}`,
          `${why}`,
          `so ${away.join(', ')}, outside its network, have no address to dial it at; those pairs come up only when ${name} dials first`,
        ],
        remediation: {
          summary: `Let ${name} reach the discovery service so it learns its public address, or advertise that address as an extra endpoint (and forward UDP ${MESH_PORT} to it on its gateway).`,
          hostFixes: [],
          changeRequest: null,
        },
      }),
    ];
  });
}

import type { Finding } from '../../../contract/diagnosis.js';
import { finding, type DiagnosisContext } from '../context.js';

/**
 * RP_FILTER_STRICT: strict reverse-path filtering (rp_filter=1) in effect on
 * the mesh link (the larger of `all` and the link's own value counts).
 * Packets that arrive on the mesh while the route back to their source points
 * elsewhere (asymmetric routes, the mesh's policy routing) are dropped.
 * Warning; loose mode (2) is what the mesh needs.
 */
export function rpFilterRule(ctx: DiagnosisContext): Finding[] {
  return ctx.names.flatMap((name) => {
    const host = ctx.node(name).host;
    if (!host || !host.meshLink) return [];
    const all = host.rpFilter.all;
    const own = host.rpFilter[host.meshLink];
    if (all === undefined && own === undefined) return [];
    const effective = Math.max(all ?? 0, own ?? 0);
    if (effective !== 1) return [];
    const from = own === 1 ? `net.ipv4.conf.${host.meshLink}.rp_filter=1` : `net.ipv4.conf.all.rp_filter=1 (the larger of it and the link's value counts)`;
    const down = ctx.names.filter((o) => o !== name && ctx.pairState(name, o) === 'down');
    const sysctls = [`net.ipv4.conf.all.rp_filter=2`, `net.ipv4.conf.${host.meshLink}.rp_filter=2`];
    return [
      finding('RP_FILTER_STRICT', 'warning', [name], {
        evidence: [
          `${name} filters by reverse path strictly on ${host.meshLink}: ${from}`,
          'packets that arrive through the mesh while the route back to their source points at another link are dropped (pod and service traffic, asymmetric routes)',
          ...(down.length > 0 ? [`pairs down with ${name}: ${down.join(', ')}`] : []),
        ],
        remediation: {
          summary: `Set loose reverse-path filtering on ${name}: sysctl -w ${sysctls.join(' ')}, and keep it across reboots in /etc/sysctl.d/90-kubespan.conf (${sysctls.join(', ')}).`,
          hostFixes: [],
          changeRequest: null,
        },
      }),
    ];
  });
}

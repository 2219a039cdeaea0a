import type { Finding } from '../../../contract/diagnosis.js';
import { finding, type DiagnosisContext } from '../context.js';
import { MESH_PORT } from '../../../../agent/shared/ports.js';
import { describeNat } from '../nat.js';
import { gatewayForward } from '../remediation/open-port.js';

/**
 * BEHIND_NAT: the address others see is not one of the node's own. Info for
 * a NAT that keeps the source port (peers with an inbound end still work, and
 * two such ends may hole-punch); warning when it changes or randomises ports.
 */
export function behindNatRule(ctx: DiagnosisContext): Finding[] {
  return ctx.names
    .filter((name) => ctx.nat(name).behindNat === true)
    .map((name) => {
      const nat = ctx.nat(name);
      const hard = nat.kind === 'random' || nat.kind === 'port-changing';
      const evidence = [...nat.evidence, `${name} is behind ${describeNat(ctx.node(name), nat)}`];
      if (hard)
        evidence.push(`peers cannot dial ${name} and hole punching with another NATed node fails; only peers that accept UDP ${MESH_PORT} inbound reach it`);
      return finding('BEHIND_NAT', hard ? 'warning' : 'info', [name], {
        port: MESH_PORT,
        protocol: 'udp',
        where: 'upstream',
        evidence,
        remediation: {
          summary: hard
            ? `Forward UDP ${MESH_PORT} to ${name} on its gateway, or make sure every other node accepts UDP ${MESH_PORT} inbound.`
            : `Nothing to do while its peers accept UDP ${MESH_PORT} inbound; a forward on the gateway makes ${name} reachable too.`,
          ...gatewayForward(ctx, name, { protocol: 'udp', port: MESH_PORT }),
        },
      });
    });
}

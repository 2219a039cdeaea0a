import type { RelayOffer } from '../../../contract/diagnosis.js';
import type { SiteKind } from '../../../contract/machines.js';
import { MESH_PORT } from '../../../../agent/shared/ports.js';
import type { DiagnosisContext } from '../context.js';

const SITE_ORDER: Record<SiteKind, number> = { cloud: 0, datacenter: 1, edge: 2 };

/**
 * The relay for a pair with no direct path, or why there is none: a third Spanwise node that both
 * ends reach on UDP 51820 (from the diagnosis matrix), cloud first, then datacenter, then edge, then
 * by name. A pair with a member Spanwise does not manage is never relayed (Talos would drop the packets).
 */
export function relayOffer(ctx: DiagnosisContext, a: string, b: string): { offer: RelayOffer } | { refusal: string } {
  const foreign = [a, b].filter((n) => ctx.node(n).managed === false);
  if (foreign.length)
    return {
      refusal: `no relay: ${foreign.join(' and ')} ${foreign.length > 1 ? 'are' : 'is'} not managed by Spanwise, and Talos KubeSpan drops relayed packets`,
    };
  const via = ctx.names
    .filter((r) => r !== a && r !== b && ctx.node(r).managed !== false)
    .filter((r) => ctx.inbound('udp51820', a, r) === 'open' && ctx.inbound('udp51820', b, r) === 'open')
    .sort((x, y) => SITE_ORDER[ctx.node(x).site] - SITE_ORDER[ctx.node(y).site] || x.localeCompare(y))[0];
  if (!via) return { refusal: `no relay: no other Spanwise node accepts UDP ${MESH_PORT} from both ${a} and ${b}` };
  return {
    offer: {
      between: [a, b],
      via,
      summary: `Or relay the pair through ${via}, which both reach on UDP ${MESH_PORT}: traffic between ${a} and ${b} goes through ${via}'s tunnels, encrypted on each hop.`,
    },
  };
}

import type { Finding } from '../../../contract/diagnosis.js';
import { finding, type DiagnosisContext } from '../context.js';
import { MESH_PORT } from '../../../../agent/shared/ports.js';
import { canHolePunch, describeNat } from '../nat.js';
import { openPortRemediation } from '../remediation/open-port.js';
import { relayOffer } from '../remediation/relay-offer.js';
import { nodesToOpen } from '../../../contract/open-set.js';

const UDP = { protocol: 'udp', port: MESH_PORT } as const;

/** Unordered pairs where UDP 51820 is blocked in both directions. */
export function pairsWithoutInboundEnd(ctx: DiagnosisContext): Array<[string, string]> {
  const names = ctx.names;
  const out: Array<[string, string]> = [];
  for (let i = 0; i < names.length; i += 1) {
    for (let j = i + 1; j < names.length; j += 1) {
      const a = names[i] as string;
      const b = names[j] as string;
      if (ctx.inbound('udp51820', a, b) === 'blocked' && ctx.inbound('udp51820', b, a) === 'blocked') out.push([a, b]);
    }
  }
  return out;
}

/** Sentences that name why hole punching can or cannot bring the pair up. */
export function holePunchEvidence(ctx: DiagnosisContext, a: string, b: string): { punchable: boolean; sentences: string[] } {
  const na = ctx.nat(a);
  const nb = ctx.nat(b);
  const punchable = canHolePunch(na, nb);
  const ends = [a, b].map((n) => `${n} is behind ${describeNat(ctx.node(n), ctx.nat(n))}`);
  const sentences = [ends.join('; ')];
  if (!punchable) {
    const culprits = [a, b].filter((n) => ['random', 'port-changing'].includes(ctx.nat(n).kind));
    sentences.push(
      `hole punching cannot work: ${culprits.map((n) => `${n}'s NAT does not keep port ${MESH_PORT}`).join(' and ')}, and KubeSpan always dials ip:${MESH_PORT}`,
    );
  }
  return { punchable, sentences };
}

/**
 * PAIR_NO_INBOUND_END: neither end of a pair accepts UDP 51820 inbound. Error
 * when the pair is down (or cannot come up: a port-changing NAT at an end);
 * a warning when both ends are stateful and keep the port, so the pair is up
 * (or may come up) only by hole punching. The fix opens the pair's end chosen
 * by the cluster-wide minimum open set (cloud before datacenter before edge).
 */
export function pairInboundRule(ctx: DiagnosisContext): Finding[] {
  const pairs = pairsWithoutInboundEnd(ctx);
  const open = new Set(nodesToOpen(pairs, (n) => ctx.node(n).site));
  const all = [...open].sort().join(', ');
  return pairs.map(([a, b]) => {
    const state = ctx.pairState(a, b);
    const { punchable, sentences } = holePunchEvidence(ctx, a, b);
    const severity = state === 'down' || (state !== 'up' && !punchable) ? 'error' : 'warning';
    const evidence = [`UDP ${MESH_PORT} from ${a} never arrives at ${b}, and from ${b} never arrives at ${a}`, ...sentences];
    if (state === 'up')
      evidence.push(
        `the pair is up only by UDP hole punching (both ends are stateful and keep port ${MESH_PORT}); it breaks when a mapping expires or a gateway restarts`,
      );
    else if (state === 'down') evidence.push(`the pair is down`);
    else if (punchable)
      evidence.push(`the pair may come up by UDP hole punching (both ends are stateful and keep port ${MESH_PORT}), but KubeSpan has no relay if it does not`);
    const target =
      open.has(a) && open.has(b)
        ? ([a, b].sort((x, y) => (ctx.node(x).site === 'edge' ? 1 : 0) - (ctx.node(y).site === 'edge' ? 1 : 0))[0] as string)
        : open.has(a)
          ? a
          : b;
    const base = openPortRemediation(ctx, target, UDP);
    const relay = relayOffer(ctx, a, b);
    if ('refusal' in relay) evidence.push(relay.refusal);
    const remediation = {
      ...base,
      summary: `${base.summary} Across the cluster, opening ${all} gives every pair an inbound end.`,
      ...('offer' in relay ? { relay: relay.offer } : {}),
    };
    return finding('PAIR_NO_INBOUND_END', severity, [a, b], {
      pair: { from: a, to: b },
      port: MESH_PORT,
      protocol: 'udp',
      where: base.hostFixes.length > 0 ? 'host' : 'upstream',
      evidence,
      remediation,
    });
  });
}

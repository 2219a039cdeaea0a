import type { Finding, Remediation } from '../../../contract/diagnosis.js';
import { finding, type DiagnosisContext, type Egress } from '../context.js';
import { egressRemediation } from './egress.js';
import { MESH_PORT } from '../../../../agent/shared/ports.js';
import { openPortRemediation } from '../remediation/open-port.js';
import { nodesToOpen } from '../../../contract/open-set.js';
import { holePunchEvidence, pairsWithoutInboundEnd } from './pair-inbound.js';
import { notManagedRemediation, notManagedSentences } from '../gather/not-managed.js';

const UDP = { protocol: 'udp', port: MESH_PORT } as const;

function view(ctx: DiagnosisContext, from: string, to: string): string | null {
  const peer = ctx.pair(from, to)?.peer;
  if (!peer) return null;
  return `${from} sees ${to} ${peer.state}${peer.reason ? ` (${peer.reason})` : ''}; endpoint ${peer.endpoint ?? 'none'}, last handshake ${peer.lastHandshake ?? 'never'}, rx ${peer.rx} B, tx ${peer.tx} B`;
}

/**
 * PEER_DOWN: a pair that either side's WireGuard reports down, one finding per
 * unordered pair (error), with both views, the dropped direction(s) read from
 * both sides' counters, and the cause when the evidence names it.
 */
export function peerDownRule(ctx: DiagnosisContext): Finding[] {
  const noInbound = new Set(pairsWithoutInboundEnd(ctx).map(([a, b]) => `${a}>${b}`));
  const open = new Set(nodesToOpen(pairsWithoutInboundEnd(ctx), (n) => ctx.node(n).site));
  const out: Finding[] = [];
  const names = ctx.names;
  for (let i = 0; i < names.length; i += 1) {
    for (let j = i + 1; j < names.length; j += 1) {
      const a = names[i] as string;
      const b = names[j] as string;
      if (ctx.pairState(a, b) !== 'down') continue;
      const evidence = [view(ctx, a, b), view(ctx, b, a)].filter((s): s is string => s !== null);
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as const) {
        if (ctx.unanswered(x, y))
          evidence.push(
            `${x} sent handshakes to ${y} (tx ${ctx.pair(x, y)?.peer?.tx} B) that never arrived (${y} received 0 B from ${x}): ${x} -> ${y} is dropped`,
          );
      }
      let remediation: Remediation = notManagedRemediation(ctx, a, b) ?? {
        summary: `Check both agents' logs; no firewall or NAT cause was found for ${a}/${b}.`,
        hostFixes: [],
        changeRequest: null,
      };
      let from = a;
      let to = b;
      if (noInbound.has(`${a}>${b}`)) {
        evidence.push(`cause: neither ${a} nor ${b} accepts UDP ${MESH_PORT} inbound`, ...holePunchEvidence(ctx, a, b).sentences);
        remediation = openPortRemediation(ctx, open.has(a) ? a : b, UDP);
      } else if (ctx.egress(a, 'udp51820') || ctx.egress(b, 'udp51820')) {
        const sender = ctx.egress(a, 'udp51820') ? a : b;
        evidence.push(`cause: UDP ${MESH_PORT} out of ${sender} is dropped on the way out (${sender === a ? b : a} accepts it from other nodes)`);
        remediation = egressRemediation(ctx, sender, UDP, ctx.egress(sender, 'udp51820') as Egress);
        from = sender;
        to = sender === a ? b : a;
      } else {
        const blocked = ctx.inbound('udp51820', a, b) === 'blocked' ? b : ctx.inbound('udp51820', b, a) === 'blocked' ? a : null;
        if (blocked) {
          evidence.push(`cause: UDP ${MESH_PORT} into ${blocked} is blocked`);
          remediation = openPortRemediation(ctx, blocked, UDP);
          from = blocked === b ? a : b;
          to = blocked;
        }
      }
      evidence.push(...notManagedSentences(ctx, a, b));
      out.push(finding('PEER_DOWN', 'error', [a, b], { pair: { from, to }, port: MESH_PORT, protocol: 'udp', evidence, remediation }));
    }
  }
  return out;
}

import type { Finding } from '../../../contract/diagnosis.js';
import { finding, type DiagnosisContext } from '../context.js';

/**
 * STALE_PEER_KEY: a node still tracks a member that carries another node's
 * name but not its current key, and that member is not up: the node's key
 * changed (reinstall, new identity) while its old affiliate lingers in
 * discovery. Warning, one per node whose key changed.
 */
export function staleKeyRule(ctx: DiagnosisContext): Finding[] {
  const known = new Set(ctx.names.map((n) => ctx.node(n).publicKey).filter((k) => k !== null));
  const out: Finding[] = [];
  for (const target of ctx.names) {
    const current = ctx.node(target).publicKey;
    if (!current) continue;
    const seen = ctx.names
      .filter((n) => n !== target)
      .flatMap((observer) =>
        ctx
          .node(observer)
          .peers.filter((p) => p.label === target && p.publicKey !== current && !known.has(p.publicKey) && p.state !== 'up')
          .map((p) => ({ observer, peer: p })),
      );
    if (seen.length === 0) continue;
    const oldKeys = [...new Set(seen.map((s) => s.peer.publicKey))];
    out.push(
      finding('STALE_PEER_KEY', 'warning', [target], {
        evidence: [
          `${target}'s key is now ${current}`,
          ...seen.map(
            ({ observer, peer }) =>
              `${observer} still has a peer labelled ${target} with the old key ${peer.publicKey} (${peer.state}, endpoint ${peer.endpoint ?? 'none'})`,
          ),
          `the old affiliate lingers in discovery until its TTL runs out (30 minutes), and peers keep dialling it meanwhile`,
        ],
        remediation: {
          summary: `Nothing breaks for ${target}'s new key; the old member${oldKeys.length > 1 ? 's expire' : ' expires'} from discovery within 30 minutes. To drop ${oldKeys.length > 1 ? 'them' : 'it'} now, restart the discovery service or delete the old affiliate there.`,
          hostFixes: [],
          changeRequest: null,
        },
      }),
    );
  }
  return out;
}

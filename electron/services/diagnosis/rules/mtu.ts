import type { Finding } from '../../../contract/diagnosis.js';
import { finding, type DiagnosisContext } from '../context.js';

/** Default mesh MTU and the outer-header overheads (KUBESPAN-FACTS: IPv4 60, IPv6 80). */
export const DEFAULT_MESH_MTU = 1420;
const overhead = (endpoint: string | null | undefined) => (endpoint?.startsWith('[') ? 80 : 60);

/**
 * MTU_TOO_LARGE: the mesh MTU plus WireGuard's overhead does not fit the
 * node's link (per node) or the path MTU to a peer over the underlay (per
 * ordered pair; skipped for nodes already flagged by their link). Warning.
 */
export function mtuRule(ctx: DiagnosisContext): Finding[] {
  const out: Finding[] = [];
  const flagged = new Set<string>();
  const change = (fit: number) => ({
    summary: `Lower the cluster's mesh MTU to ${Math.max(1280, fit)} (or raise the underlay MTU).`,
    hostFixes: [],
    changeRequest: `Set the KubeSpan MTU of every node to ${Math.max(1280, fit)}${fit < 1280 ? ' (the minimum; the underlay must carry at least 1340 bytes)' : ''}, or raise the MTU of the underlying network.`,
  });
  for (const name of ctx.names) {
    const node = ctx.node(name);
    const mesh = node.meshMtu ?? DEFAULT_MESH_MTU;
    if (node.linkMtu !== null && node.linkMtu < mesh + 60) {
      flagged.add(name);
      out.push(
        finding('MTU_TOO_LARGE', 'warning', [name], {
          evidence: [`${name}'s link MTU is ${node.linkMtu}; the mesh MTU ${mesh} needs at least ${mesh + 60} (IPv4) or ${mesh + 80} (IPv6) underneath`],
          remediation: change(node.linkMtu - 60),
        }),
      );
    }
  }
  for (const pair of ctx.evidence.pairs) {
    if (pair.pathMtu === null || flagged.has(pair.from)) continue;
    const mesh = ctx.node(pair.from).meshMtu ?? DEFAULT_MESH_MTU;
    const need = mesh + overhead(pair.peer?.endpoint);
    if (pair.pathMtu >= need) continue;
    out.push(
      finding('MTU_TOO_LARGE', 'warning', [pair.from, pair.to], {
        pair: { from: pair.from, to: pair.to },
        evidence: [`path MTU from ${pair.from} to ${pair.to} over the underlay is ${pair.pathMtu}; the mesh MTU ${mesh} needs ${need}`],
        remediation: change(pair.pathMtu - overhead(pair.peer?.endpoint)),
      }),
    );
  }
  return out;
}

import type { ClusterHealth } from '../../contract/health.js';
import type { ClusterStatus, StatusPair } from '../../contract/status.js';

/** The status with the health model's word: score, verdict, and every pair not plainly up (fragile ones with their reasons); the peers keep the agents' states. */
export function withHealth(status: Omit<ClusterStatus, 'health'>, health: ClusterHealth): ClusterStatus {
  const fragile = new Map(health.fragile.map((p) => [`${p.from}>${p.to}`, p.reasons]));
  const managed = status.nodes.filter((n) => n.managed !== false);
  const pairs: StatusPair[] = managed.flatMap((node) =>
    status.nodes
      .filter((other) => other.name !== node.name)
      .flatMap((other): StatusPair[] => {
        const reasons = fragile.get(`${node.name}>${other.name}`);
        if (reasons) return [{ from: node.name, to: other.name, state: 'fragile', reasons }];
        const state = node.peers.find((p) => p.name === other.name)?.state ?? 'unknown';
        return state === 'up' ? [] : [{ from: node.name, to: other.name, state, reasons: [] }];
      }),
  );
  return { ...status, health: { score: health.score, verdict: health.verdict, counts: health.pairs, pairs } };
}

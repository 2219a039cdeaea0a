import type { ClusterHealth } from '../../contract/health.js';
import type { ClusterStatus } from '../../contract/status.js';

/** The status with the health model laid over it: each fragile peer marked `fragile` with its reasons, and the model's score and verdict. */
export function withHealth(status: Omit<ClusterStatus, 'health'>, health: ClusterHealth): ClusterStatus {
  const fragile = new Map(health.fragile.map((p) => [`${p.from}>${p.to}`, p.reasons]));
  return {
    ...status,
    nodes: status.nodes.map((node) => ({
      ...node,
      peers: node.peers.map((peer) => {
        const reasons = peer.state === 'up' ? fragile.get(`${node.name}>${peer.name}`) : undefined;
        return reasons ? { ...peer, state: 'fragile' as const, reasons } : peer;
      }),
    })),
    health: { score: health.score, verdict: health.verdict, pairs: health.pairs },
  };
}

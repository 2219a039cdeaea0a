import { PeerState } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { PeerRttKind, PeerSpecKind, PeerStatusKind } from '../resources/kinds.js';
import { exclusive } from './access.js';
import type { Controller } from './runtime.js';

/** Round trip to a peer's mesh address in ms, or null when it cannot be measured. */
export type MeasureRtt = (meshAddress: string) => Promise<number | null>;

/**
 * Every `everyMs`, measures the round trip through the mesh to every peer that is up
 * and keeps the results as PeerRtt resources (peers that are not up, or do not answer,
 * have none). Traffic to a peer's mesh address goes through the tunnel, so this is the
 * latency workloads see, WireGuard included.
 */
export function peerLatencyController(measure: MeasureRtt, everyMs = 10_000): Controller {
  return {
    name: 'peer-latency',
    inputs: [],
    reads: [PeerStatusKind, PeerSpecKind],
    outputs: [exclusive(PeerRttKind)],
    intervalMs: everyMs,
    async run({ store }) {
      const up = new Set(
        store
          .list(PeerStatusKind)
          .filter((s) => s.spec.state === PeerState.PEER_STATE_UP)
          .map((s) => s.id),
      );
      const targets = store.list(PeerSpecKind).filter((s) => up.has(s.id) && s.spec.address !== '');
      const measured = await Promise.all(targets.map(async (t) => [t.id, await measure(t.spec.address)] as const));
      store.replaceAll(
        PeerRttKind,
        measured.flatMap(([id, rtt]) => (rtt === null ? [] : [[id, { rttMs: Math.round(rtt * 100) / 100 }] as [string, { rttMs: number }]])),
      );
    },
  };
}

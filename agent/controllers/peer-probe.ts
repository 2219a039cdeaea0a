import { PeerState } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { PeerProbeKind, PeerSpecKind, PeerStatusKind, type PeerProbe } from '../resources/kinds.js';
import { exclusive } from './access.js';
import type { Controller } from './runtime.js';

/** Round trip to a peer's mesh address in ms, or null when it cannot be measured. */
export type MeasureRtt = (meshAddress: string) => Promise<number | null>;

/** How often the probes are sent. */
export interface ProbeTiming {
  /** How often the controller looks. */
  tickMs: number;
  /** Every peer that is up gets a probe this often, for its round trip. */
  rttEveryMs: number;
  /**
   * A peer that is up but sent nothing since its last probe gets one this often, so that a live peer
   * always answers something within a few seconds and a dead one is seen from its silence.
   */
  idleEveryMs: number;
}

export const PROBE_TIMING: ProbeTiming = { tickMs: 1_000, rttEveryMs: 10_000, idleEveryMs: 3_000 };

interface Track {
  probedAt: number;
  rxAtProbe: number;
  probe: PeerProbe;
}

/**
 * Probes peers that are up through their mesh address (one TCP handshake to the agent API port:
 * traffic to a peer's mesh address goes through the tunnel, so this is the latency workloads see,
 * WireGuard included): each every `rttEveryMs` for its round trip, and an idle one (nothing received
 * since its last probe) every `idleEveryMs`, so its answer or its silence tells the peer-status
 * controller whether it is alive. Keeps the results as PeerProbe resources; peers that are not up
 * are not probed and keep what their last probe saw.
 */
export function peerProbeController(measure: MeasureRtt, timing: ProbeTiming = PROBE_TIMING): Controller {
  const tracks = new Map<string, Track>();
  return {
    name: 'peer-probe',
    inputs: [],
    reads: [PeerStatusKind, PeerSpecKind],
    outputs: [exclusive(PeerProbeKind)],
    intervalMs: timing.tickMs,
    async run({ store, clock }) {
      const now = clock.now();
      const statuses = new Map(store.list(PeerStatusKind).map((s) => [s.id, s.spec]));
      const specs = store.list(PeerSpecKind).filter((s) => s.spec.address !== '');
      const ids = new Set(specs.map((s) => s.id));
      for (const key of tracks.keys()) if (!ids.has(key)) tracks.delete(key);
      const due = specs.filter((s) => {
        const status = statuses.get(s.id);
        const viaUp = s.spec.viaPublicKey !== undefined && statuses.get(s.spec.viaPublicKey)?.state === PeerState.PEER_STATE_UP;
        if (status?.state !== PeerState.PEER_STATE_UP && !viaUp) return false;
        const track = tracks.get(s.id);
        if (!track) return true;
        const since = now - track.probedAt;
        return since >= timing.rttEveryMs || (since >= timing.idleEveryMs && (status?.rxBytes ?? 0) === track.rxAtProbe);
      });
      await Promise.all(
        due.map(async ({ id, spec }) => {
          const previous = tracks.get(id)?.probe ?? {};
          const track: Track = { probedAt: now, rxAtProbe: statuses.get(id)?.rxBytes ?? 0, probe: previous };
          tracks.set(id, track);
          const rtt = await measure(spec.address);
          track.probe = rtt === null ? { answeredAt: previous.answeredAt } : { rttMs: Math.round(rtt * 100) / 100, answeredAt: clock.now() };
        }),
      );
      store.replaceAll(
        PeerProbeKind,
        [...tracks].filter(([, t]) => t.probe.answeredAt !== undefined).map(([id, t]) => [id, t.probe]),
      );
    },
  };
}

import { PeerState, type PeerStatus } from '../../proto/gen/spanwise/agent/v1/agent.js';
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

/**
 * A peer that sent no more than this since its last probe is idle: a probe's answer (a SYN-ACK or
 * a RST through the tunnel, about 110 bytes), a keepalive and a handshake fit in it, traffic does not.
 */
const IDLE_RX_BYTES = 256;

interface Track {
  probedAt: number;
  rxAtProbe: number;
  /** The received bytes of the last status seen, to notice the peer sending anything. */
  rxSeen: number;
  probe: PeerProbe;
}

/** Whether a probe is due: the first for this peer, on a new WireGuard session, for the round trip, or for an idle peer. */
function isDue(track: Track | undefined, status: PeerStatus | undefined, now: number, timing: ProbeTiming): boolean {
  if (!track) return true;
  const since = now - track.probedAt;
  const newSession = (status?.lastHandshake?.getTime() ?? 0) > track.probedAt;
  // A counter that went back (the link was re-created) counts as idle.
  const idle = (status?.rxBytes ?? 0) - track.rxAtProbe <= IDLE_RX_BYTES;
  return newSession || since >= timing.rttEveryMs || (since >= timing.idleEveryMs && idle);
}

/**
 * Probes peers that are up through their mesh address (one TCP handshake to the agent API port:
 * traffic to a peer's mesh address goes through the tunnel, so this is the latency workloads see,
 * WireGuard included): each every `rttEveryMs` for its round trip, at once on a new WireGuard
 * session, and an idle one (nothing but probe answers received since its last probe) every
 * `idleEveryMs`, so its answer or its silence tells the peer-status controller whether it is alive.
 * Keeps the results as PeerProbe resources, with the first probe sent since the peer was last heard
 * from; peers that are not up are not probed and keep what their last probe saw.
 */
export function peerProbeController(measure: MeasureRtt, timing: ProbeTiming = PROBE_TIMING): Controller {
  const tracks = new Map<string, Track>();
  return {
    name: 'peer-probe',
    inputs: [PeerStatusKind],
    reads: [PeerSpecKind],
    outputs: [exclusive(PeerProbeKind)],
    intervalMs: timing.tickMs,
    async run({ store, clock }) {
      const now = clock.now();
      const statuses = new Map(store.list(PeerStatusKind).map((s) => [s.id, s.spec]));
      const specs = store.list(PeerSpecKind).filter((s) => s.spec.address !== '');
      const ids = new Set(specs.map((s) => s.id));
      for (const key of tracks.keys()) if (!ids.has(key)) tracks.delete(key);
      for (const [id, track] of tracks) {
        const rx = statuses.get(id)?.rxBytes ?? 0;
        if (rx !== track.rxSeen) track.probe = { ...track.probe, pendingSince: undefined };
        track.rxSeen = rx;
      }
      const due = specs.filter((s) => {
        const status = statuses.get(s.id);
        const viaUp = s.spec.viaPublicKey !== undefined && statuses.get(s.spec.viaPublicKey)?.state === PeerState.PEER_STATE_UP;
        return (status?.state === PeerState.PEER_STATE_UP || viaUp) && isDue(tracks.get(s.id), status, now, timing);
      });
      await Promise.all(
        due.map(async ({ id, spec }) => {
          const previous = tracks.get(id)?.probe ?? {};
          const rx = statuses.get(id)?.rxBytes ?? 0;
          const track: Track = { probedAt: now, rxAtProbe: rx, rxSeen: rx, probe: { ...previous, pendingSince: previous.pendingSince ?? now } };
          tracks.set(id, track);
          const rtt = await measure(spec.address);
          track.probe =
            rtt === null
              ? { answeredAt: previous.answeredAt, pendingSince: track.probe.pendingSince }
              : { rttMs: Math.round(rtt * 100) / 100, answeredAt: clock.now() };
        }),
      );
      store.replaceAll(
        PeerProbeKind,
        [...tracks].filter(([, t]) => t.probe.answeredAt !== undefined || t.probe.pendingSince !== undefined).map(([id, t]) => [id, t.probe]),
      );
    },
  };
}

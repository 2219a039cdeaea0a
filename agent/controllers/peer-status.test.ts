import { describe, expect, it } from 'vitest';
import { PeerState, type PeerSpec } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { FAST_TIMING, TALOS_TIMING } from '../lib/peer-state.js';
import { evaluatePeer, type PeerTrack } from './peer-status.js';

const spec: PeerSpec = { publicKey: 'k', label: 'peer', nodeId: 'n', address: 'fd00::1', allowedIps: [], endpoints: ['1.1.1.1:51820', '2.2.2.2:51820'] };

/** WireGuard's view of a peer that handshook at 1 s on its first candidate and has received `rxBytes`. */
const handshaken = (rxBytes: number) => ({
  publicKey: 'k',
  presharedKeyHash: '',
  allowedIps: [],
  rxBytes,
  txBytes: 0,
  keepaliveSec: 25,
  lastHandshake: 1_000,
  endpoint: '1.1.1.1:51820',
});

describe('peer status', () => {
  it('gives each candidate 4 s (fast), less than the 5 s WireGuard handshake retry, and keeps a dead peer down while rotating', () => {
    let track: PeerTrack | undefined;
    const trace: string[] = [];
    for (const t of [0, 3_000, 4_000, 7_000, 8_000, 12_000]) {
      const result = evaluatePeer(
        FAST_TIMING,
        spec,
        { publicKey: 'k', presharedKeyHash: '', allowedIps: [], rxBytes: 0, txBytes: 0, keepaliveSec: 25 },
        track,
        t,
      );
      track = result.track;
      trace.push(`${t / 1000}s ${PeerState[result.status.state]} ${result.status.endpoint}`);
    }
    expect(trace).toEqual([
      '0s PEER_STATE_UNKNOWN 1.1.1.1:51820',
      '3s PEER_STATE_UNKNOWN 1.1.1.1:51820',
      '4s PEER_STATE_DOWN 2.2.2.2:51820',
      '7s PEER_STATE_DOWN 2.2.2.2:51820',
      '8s PEER_STATE_DOWN 1.1.1.1:51820',
      '12s PEER_STATE_DOWN 2.2.2.2:51820',
    ]);
  });

  it('gives each candidate 15 s with the talos profile', () => {
    const first = evaluatePeer(TALOS_TIMING, spec, undefined, undefined, 0);
    expect(evaluatePeer(TALOS_TIMING, spec, undefined, first.track, 14_000).status.endpoint).toBe('1.1.1.1:51820');
    expect(evaluatePeer(TALOS_TIMING, spec, undefined, first.track, 15_000).status).toMatchObject({
      state: PeerState.PEER_STATE_DOWN,
      endpoint: '2.2.2.2:51820',
    });
  });

  it('polls a just-dialled peer briefly (fast); talos looks again only on its tick', () => {
    const first = evaluatePeer(FAST_TIMING, spec, undefined, undefined, 0);
    expect(first.recheckAt).toBe(200);
    expect(evaluatePeer(FAST_TIMING, spec, undefined, first.track, 2_500).recheckAt).toBe(4_000);
    const talos = evaluatePeer(TALOS_TIMING, spec, undefined, undefined, 0);
    expect(talos.recheckAt).toBeUndefined();
    expect(evaluatePeer(TALOS_TIMING, spec, undefined, talos.track, 5_000).recheckAt).toBeUndefined();
  });

  it('notices a dead peer from missing keepalives', () => {
    const runtime = handshaken(100);
    let result = evaluatePeer(FAST_TIMING, spec, runtime, undefined, 0);
    result = evaluatePeer(FAST_TIMING, spec, { ...runtime, rxBytes: 200 }, result.track, 2_000);
    expect(result.status.state).toBe(PeerState.PEER_STATE_UP);
    result = evaluatePeer(FAST_TIMING, spec, { ...runtime, rxBytes: 200 }, result.track, 30_000);
    expect(result.status.state).toBe(PeerState.PEER_STATE_UP);
    result = evaluatePeer(FAST_TIMING, spec, { ...runtime, rxBytes: 200 }, result.track, 42_000);
    expect(result.status).toMatchObject({ state: PeerState.PEER_STATE_DOWN, endpoint: '1.1.1.1:51820', lastEndpointChange: new Date(42_000) });
  });

  it('calls a peer that answers probes down after 10 s of silence, and one that does not after 40 s', () => {
    const runtime = handshaken(100);
    const silentFrom = (answeredAt: number | undefined, at: number) => {
      let result = evaluatePeer(FAST_TIMING, spec, runtime, undefined, 1_000, { answeredAt });
      result = evaluatePeer(FAST_TIMING, spec, { ...runtime, rxBytes: 200 }, result.track, 2_000, { answeredAt });
      // A probe went out in the silence (one that answers probes is probed every 3 s when idle).
      return evaluatePeer(FAST_TIMING, spec, { ...runtime, rxBytes: 200 }, result.track, at, { answeredAt, pendingSince: answeredAt && 5_000 });
    };
    expect(silentFrom(2_000, 11_900).status.state).toBe(PeerState.PEER_STATE_UP);
    expect(silentFrom(2_000, 11_900).recheckAt).toBe(12_000);
    expect(silentFrom(2_000, 12_000).status.state).toBe(PeerState.PEER_STATE_DOWN);
    expect(silentFrom(undefined, 12_000).status.state).toBe(PeerState.PEER_STATE_UP);
    expect(silentFrom(undefined, 41_900).status.state).toBe(PeerState.PEER_STATE_UP);
    expect(silentFrom(undefined, 42_000).status.state).toBe(PeerState.PEER_STATE_DOWN);
    // A probe answered more than a minute ago no longer shortens the wait.
    expect(silentFrom(-70_000, 12_000).status.state).toBe(PeerState.PEER_STATE_UP);
  });

  it('keeps a busy peer that answers no probes up while its traffic flows, and talos without the probe rule', () => {
    const runtime = handshaken(0);
    let result = evaluatePeer(FAST_TIMING, spec, runtime, undefined, 1_000, { answeredAt: 1_000 });
    for (let t = 4_000; t <= 60_000; t += 3_000) {
      result = evaluatePeer(FAST_TIMING, spec, { ...runtime, rxBytes: t }, result.track, t, { answeredAt: 1_000, pendingSince: 2_000 });
      expect(result.status.state).toBe(PeerState.PEER_STATE_UP);
    }
    const talos = evaluatePeer(TALOS_TIMING, spec, runtime, undefined, 1_000, { answeredAt: 1_000 });
    expect(evaluatePeer(TALOS_TIMING, spec, runtime, talos.track, 30_000, { answeredAt: 1_000 }).status.state).toBe(PeerState.PEER_STATE_UP);
  });

  it('calls a peer that died before answering a first probe down 15 s after that probe, and keeps one whose firewall drops probes up', () => {
    // A just-restarted observer: the new session's handshake answer (92 bytes) is all it got from the peer.
    const runtime = handshaken(92);
    const first = evaluatePeer(FAST_TIMING, spec, runtime, undefined, 1_000);
    const pending = { pendingSince: 1_500 };
    const before = evaluatePeer(FAST_TIMING, spec, runtime, first.track, 16_400, pending);
    expect(before.status.state).toBe(PeerState.PEER_STATE_UP);
    expect(before.recheckAt).toBe(16_500);
    expect(evaluatePeer(FAST_TIMING, spec, runtime, first.track, 16_500, pending).status.state).toBe(PeerState.PEER_STATE_DOWN);
    // Alive behind a firewall that drops the probe: WireGuard's keepalive 10 s after the probe's packet.
    const keepalive = evaluatePeer(FAST_TIMING, spec, { ...runtime, rxBytes: 124 }, first.track, 11_600, pending);
    for (const t of [16_500, 30_000, 51_500]) {
      expect(evaluatePeer(FAST_TIMING, spec, { ...runtime, rxBytes: 124 }, keepalive.track, t, pending).status.state).toBe(PeerState.PEER_STATE_UP);
    }
    // Talos timing has no such rule.
    const talos = evaluatePeer(TALOS_TIMING, spec, runtime, undefined, 1_000);
    expect(evaluatePeer(TALOS_TIMING, spec, runtime, talos.track, 30_000, pending).status.state).toBe(PeerState.PEER_STATE_UP);
  });
});

import { describe, expect, it } from 'vitest';
import { FAST_TIMING, TALOS_TIMING, computePeerState, type PeerObservation, type PeerStateName } from './peer-state.js';

const s = 1000;
const T0 = 1_000_000 * s;

/** [case, seconds since T0 (undefined: never dialled), seconds since handshake relative to now (undefined: never), expected] */
const talosTable: [string, number | undefined, number | undefined, PeerStateName][] = [
  ['never dialled, no handshake', undefined, undefined, 'unknown'],
  ['never dialled, peer dialled in', undefined, 10, 'up'],
  ['never dialled, old handshake', undefined, 300, 'unknown'],
  ['just changed, no handshake', 5, undefined, 'unknown'],
  ['just changed, handshake after T0', 5, 2, 'up'],
  ['just changed, handshake before T0 only', 5, 10, 'unknown'],
  ['15 s passed, no handshake', 15, undefined, 'down'],
  ['between, handshake after T0', 100, 50, 'up'],
  ['between, handshake before T0', 100, 120, 'down'],
  ['long ago, recent handshake', 400, 100, 'up'],
  ['long ago, handshake 274 s old', 400, 274, 'up'],
  ['long ago, handshake 275 s old', 400, 275, 'down'],
  ['long ago, never a handshake', 400, undefined, 'down'],
];

function observe(sinceT0: number | undefined, sinceHs: number | undefined, extra: Partial<PeerObservation> = {}): PeerObservation {
  const now = T0 + (sinceT0 ?? 0) * s;
  return {
    now,
    lastEndpointChange: sinceT0 === undefined ? undefined : T0,
    lastHandshake: sinceHs === undefined ? undefined : now - sinceHs * s,
    ...extra,
  };
}

describe('peer state machine (talos timing)', () => {
  it.each(talosTable)('%s', (_name, sinceT0, sinceHs, want) => {
    expect(computePeerState(TALOS_TIMING, observe(sinceT0, sinceHs)).state).toBe(want);
  });

  it('asks to be re-checked when the endpoint timeout expires', () => {
    expect(computePeerState(TALOS_TIMING, observe(5, undefined)).recheckAt).toBe(T0 + 15 * s);
  });
});

describe('handshake after the endpoint change', () => {
  it('counts a handshake in the same second as T0: WireGuard reports whole seconds', () => {
    const t0 = T0 + 400;
    for (const profile of [TALOS_TIMING, FAST_TIMING]) {
      expect(computePeerState(profile, { now: t0 + 1_000, lastEndpointChange: t0, lastHandshake: T0 }).state).toBe('up');
      expect(computePeerState(profile, { now: t0 + 1_000, lastEndpointChange: t0, lastHandshake: T0 - s }).state).toBe('unknown');
    }
  });
});

describe('peer state machine (fast timing)', () => {
  it('gives an endpoint 4 s, under the 5 s handshake retry, not 15 s', () => {
    expect(computePeerState(FAST_TIMING, observe(3, undefined)).state).toBe('unknown');
    expect(computePeerState(FAST_TIMING, observe(4, undefined)).state).toBe('down');
  });

  it('keeps the handshake rules of the talos table where rx is not tracked', () => {
    for (const [, sinceT0, sinceHs, want] of talosTable.filter(([, t0]) => t0 === undefined || t0 >= 15)) {
      expect(computePeerState(FAST_TIMING, observe(sinceT0, sinceHs)).state).toBe(want);
    }
  });

  it('calls a peer down when its keepalives stop, long before 275 s', () => {
    const now = T0 + 400 * s;
    const silent = observe(400, 100, { lastRxGrowth: now - 41 * s });
    expect(computePeerState(FAST_TIMING, silent)).toMatchObject({ state: 'down' });
    const alive = observe(400, 100, { lastRxGrowth: now - 20 * s });
    expect(computePeerState(FAST_TIMING, alive)).toMatchObject({ state: 'up', recheckAt: now + 20 * s });
    expect(computePeerState(TALOS_TIMING, silent).state).toBe('up');
  });

  it('calls a peer that answers probes down after 10 s of silence, saying why', () => {
    const now = T0 + 400 * s;
    const probed = observe(400, 100, { lastRxGrowth: now - 10 * s, probeAnsweredAt: now - 12 * s, probePendingSince: now - 7 * s });
    expect(computePeerState(FAST_TIMING, probed)).toMatchObject({ state: 'down', reason: 'nothing received for 10s (its probes went unanswered)' });
    expect(computePeerState(FAST_TIMING, { ...probed, probeAnsweredAt: undefined })).toMatchObject({ state: 'up', recheckAt: now + 8 * s });
    expect(computePeerState(TALOS_TIMING, probed).state).toBe('up');
  });

  it('does not judge a silent peer by its probes before one was sent in the silence and had 3 s to come back', () => {
    const now = T0 + 400 * s;
    // A busy peer fell quiet 10 s ago: its next probe is not due yet (busy peers are probed every 10 s).
    const quiet = observe(400, 100, { lastRxGrowth: now - 10 * s, probeAnsweredAt: now - 11 * s });
    expect(computePeerState(FAST_TIMING, quiet)).toMatchObject({ state: 'up', recheckAt: now + 30 * s });
    // The probe went out 1 s ago: it gets until 3 s after it.
    const sent = { ...quiet, probePendingSince: now - 1 * s };
    expect(computePeerState(FAST_TIMING, sent)).toMatchObject({ state: 'up', recheckAt: now + 2 * s });
    expect(computePeerState(FAST_TIMING, { ...sent, now: now + 2 * s })).toMatchObject({
      state: 'down',
      reason: 'nothing received for 12s (its probes went unanswered)',
    });
    // A probe pending from before the last traffic does not count.
    expect(computePeerState(FAST_TIMING, { ...quiet, probePendingSince: now - 10.5 * s }).state).toBe('up');
  });

  it('calls a re-dialled peer up on traffic after the endpoint change, without waiting for a handshake (talos waits)', () => {
    const now = T0 + 3 * s;
    const redialled = observe(3, 60, { lastRxGrowth: now - 1 * s });
    expect(computePeerState(FAST_TIMING, redialled)).toMatchObject({ state: 'up', reason: 'received 1s ago, after the endpoint change' });
    expect(computePeerState(FAST_TIMING, { ...redialled, lastRxGrowth: T0 }).state).toBe('unknown');
    expect(computePeerState(FAST_TIMING, { ...redialled, lastHandshake: undefined }).state).toBe('unknown');
    expect(computePeerState(TALOS_TIMING, redialled).state).toBe('unknown');
  });

  it('calls a peer down 15 s after a probe that brought nothing back, whether or not it ever answered one', () => {
    const now = T0 + 400 * s;
    const sent = observe(400, 100, { lastRxGrowth: now - 17 * s, probePendingSince: now - 15 * s });
    expect(computePeerState(FAST_TIMING, sent)).toMatchObject({ state: 'down', reason: 'nothing received for 17s (nothing came back 15s after a probe)' });
    expect(computePeerState(FAST_TIMING, { ...sent, now: now - 1 })).toMatchObject({ state: 'up', recheckAt: now });
    // Something received after the probe went out: the rule waits for the next one.
    expect(computePeerState(FAST_TIMING, { ...sent, lastRxGrowth: now - 5 * s })).toMatchObject({ state: 'up', recheckAt: now + 35 * s });
    expect(computePeerState(TALOS_TIMING, sent).state).toBe('up');
  });

  it('counts a handshake as traffic', () => {
    const now = T0 + 400 * s;
    expect(computePeerState(FAST_TIMING, observe(400, 10, { lastRxGrowth: now - 100 * s })).state).toBe('up');
  });
});

import { describe, expect, it } from 'vitest';
import { PeerState, type PeerSpec } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { REACH_HOLD_MS, RELAYED_DIAL_MS, nextReach, relayedDial, type ReachTrack } from './relay-auto-reach.js';

const { PEER_STATE_DOWN: DOWN, PEER_STATE_UP: UP, PEER_STATE_UNKNOWN: UNKNOWN } = PeerState;
const direct = (state: PeerState) => ({ relayed: false as const, state });
const relayed = (lastHandshake?: number) => ({ relayed: true as const, lastHandshake });

describe('whether a peer is reachable directly', () => {
  it('marks a direct peer unreachable when it is down and reachable when it is up; unknown keeps the verdict', () => {
    const down = nextReach(undefined, direct(DOWN), 1_000).track;
    expect(down).toEqual({ unreachable: true, changedAt: 1_000 });
    expect(nextReach(down, direct(UNKNOWN), 50_000).track).toBe(down);
    expect(nextReach(down, direct(UP), 50_000).track).toEqual({ unreachable: false, changedAt: 50_000 });
    expect(nextReach(undefined, direct(UP), 1_000).track.unreachable).toBe(false);
    expect(nextReach(undefined, direct(UNKNOWN), 1_000).track.unreachable).toBe(false);
  });

  it('takes a relayed peer back once it completes a direct handshake after it was marked, and not for an older one', () => {
    const marked: ReachTrack = { unreachable: true, changedAt: 10_000 };
    expect(nextReach(marked, relayed(undefined), 60_000).track).toBe(marked);
    expect(nextReach(marked, relayed(9_000), 60_000).track).toBe(marked);
    expect(nextReach(marked, relayed(55_000), 60_000).track).toEqual({ unreachable: false, changedAt: 60_000 });
  });

  it('marks a peer unreachable again only REACH_HOLD_MS after its verdict changed, and takes it back at once', () => {
    const back: ReachTrack = { unreachable: false, changedAt: 100_000 };
    const held = nextReach(back, direct(DOWN), 100_000 + REACH_HOLD_MS - 1);
    expect(held).toEqual({ track: back, recheckAt: 100_000 + REACH_HOLD_MS });
    expect(nextReach(back, direct(DOWN), 100_000 + REACH_HOLD_MS).track).toEqual({ unreachable: true, changedAt: 100_000 + REACH_HOLD_MS });
    // A peer that was down for a moment (a neighbour starting later) is back as soon as a direct handshake completes.
    const marked: ReachTrack = { unreachable: true, changedAt: 100_000 };
    expect(nextReach(marked, relayed(100_500), 101_000)).toEqual({ track: { unreachable: false, changedAt: 101_000 } });
    expect(nextReach(marked, direct(UP), 101_000).track).toEqual({ unreachable: false, changedAt: 101_000 });
  });
});

describe('where a relayed peer is dialled', () => {
  const spec = { endpoints: ['10.0.1.2:51820', '203.0.113.9:51820'] } as PeerSpec;

  it('tries each candidate in turn, RELAYED_DIAL_MS apiece', () => {
    const first = relayedDial({ index: 0 }, spec, undefined, 1_000);
    expect(first).toEqual({ index: 0, endpoint: '10.0.1.2:51820', changedAt: 1_000 });
    expect(relayedDial(first, spec, undefined, 1_000 + RELAYED_DIAL_MS - 1)).toBe(first);
    const second = relayedDial(first, spec, undefined, 1_000 + RELAYED_DIAL_MS);
    expect(second.endpoint).toBe('203.0.113.9:51820');
    expect(relayedDial(second, spec, undefined, 1_000 + 2 * RELAYED_DIAL_MS).endpoint).toBe('10.0.1.2:51820');
  });

  it('keeps the endpoint WireGuard learned while a direct handshake is fresh', () => {
    const first = relayedDial({ index: 0 }, spec, undefined, 1_000);
    const runtime = { publicKey: 'k', presharedKeyHash: '', allowedIps: [], rxBytes: 0, txBytes: 0, keepaliveSec: 25, endpoint: '198.51.100.7:40001' };
    const later = 1_000 + 3 * RELAYED_DIAL_MS;
    expect(relayedDial(first, spec, { ...runtime, lastHandshake: later - 2_000 }, later).endpoint).toBe('198.51.100.7:40001');
    expect(relayedDial(first, spec, { ...runtime, lastHandshake: later - 200_000 }, later).endpoint).toBe('203.0.113.9:51820');
  });
});

import { describe, expect, it } from 'vitest';
import { PeerState, type PeerSpec, type PeerStatus } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { FAST_TIMING } from '../lib/peer-state.js';
import { relayedStatus } from './relayed-status.js';

const spec: PeerSpec = { publicKey: 'b', label: 'edge2', nodeId: 'b', address: 'fd00::2', allowedIps: [], endpoints: [], viaPublicKey: 'r' };
const relay = (state: PeerState): PeerStatus => ({
  publicKey: 'r',
  label: 'cloud1',
  state,
  endpoint: '198.18.1.10:51820',
  rxBytes: 1,
  txBytes: 1,
  reason: 'handshake 2s ago',
  lastHandshake: new Date(1_000),
  lastEndpointChange: undefined,
});
const T = 100_000;

describe('the status of a relayed peer', () => {
  it('is up while probes through an up relay are answered, and names the relay', () => {
    const { status } = relayedStatus(FAST_TIMING, spec, relay(PeerState.PEER_STATE_UP), T - 2_000, T - 20_000, T);
    expect(status).toMatchObject({ state: PeerState.PEER_STATE_UP, via: 'cloud1', endpoint: '', lastHandshake: new Date(1_000) });
  });

  it('follows the relay when the relay is not up', () => {
    expect(relayedStatus(FAST_TIMING, spec, relay(PeerState.PEER_STATE_DOWN), T - 2_000, 0, T).status).toMatchObject({
      state: PeerState.PEER_STATE_DOWN,
      reason: expect.stringContaining('relay cloud1 is not up'),
    });
    expect(relayedStatus(FAST_TIMING, spec, undefined, T, 0, T).status.state).toBe(PeerState.PEER_STATE_UNKNOWN);
  });

  it('is unknown until the first answer, and down once the relay is up but nothing answers through it', () => {
    const up = relay(PeerState.PEER_STATE_UP);
    expect(relayedStatus(FAST_TIMING, spec, up, undefined, T - 2_000, T).status.state).toBe(PeerState.PEER_STATE_UNKNOWN);
    expect(relayedStatus(FAST_TIMING, spec, up, T - 30_000, T - 20_000, T).status.state).toBe(PeerState.PEER_STATE_DOWN);
    // An answer from before the relay was set (a direct path) does not count for it.
    expect(relayedStatus(FAST_TIMING, spec, up, T - 30_000, T - 25_000, T).status.reason).toContain('no answer ever');
  });
});

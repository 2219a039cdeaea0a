import { describe, expect, it } from 'vitest';
import { PeerState, type PeerStatus } from '../../../proto/gen/spanwise/agent/v1/agent.js';
import { validatePeer } from './peer-input.js';

const base: PeerStatus = {
  publicKey: `${'A'.repeat(43)}=`,
  label: 'dc1',
  state: PeerState.PEER_STATE_UP,
  endpoint: '198.18.1.11:51820',
  lastHandshake: new Date(1_000),
  rxBytes: 10,
  txBytes: 20,
  lastEndpointChange: undefined,
  reason: '',
  rttMs: 1.25,
};

describe('peer input from agents', () => {
  it('keeps a plausible round trip of a peer that is up', () => {
    expect(validatePeer(base)).toMatchObject({ state: 1, rttMs: 1.25, rx: 10, tx: 20 });
  });

  it('drops round trips that are missing, not finite, out of range, or of a peer that is not up', () => {
    for (const rttMs of [undefined, Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 120_000]) expect(validatePeer({ ...base, rttMs })?.rttMs).toBeNull();
    expect(validatePeer({ ...base, state: PeerState.PEER_STATE_DOWN })?.rttMs).toBeNull();
  });

  it('refuses a malformed key and blanks a bad endpoint or label', () => {
    expect(validatePeer({ ...base, publicKey: 'short' })).toBeNull();
    expect(validatePeer({ ...base, endpoint: 'x:1; rm -rf', label: 'a b' })).toMatchObject({ endpoint: null, label: '' });
  });
});

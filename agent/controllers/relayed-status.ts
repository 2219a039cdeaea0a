import { PeerState, type PeerSpec, type PeerStatus } from '../../proto/gen/spanwise/agent/v1/agent.js';
import type { TimingProfile } from '../lib/peer-state.js';

const secs = (ms: number) => `${Math.round(ms / 1000)}s`;

/**
 * The status of a peer reached through a relay: down or unknown while the relay's own tunnel is,
 * else up while probes through the relay are answered. Silence for the profile's probe stall (or its
 * down interval) means down; before that, a peer that has not answered yet since `since` is unknown.
 */
export function relayedStatus(
  profile: TimingProfile,
  spec: PeerSpec,
  relay: PeerStatus | undefined,
  probeAnsweredAt: number | undefined,
  since: number,
  now: number,
): { status: PeerStatus; recheckAt?: number } {
  const via = relay?.label ?? '';
  const base: PeerStatus = {
    publicKey: spec.publicKey,
    label: spec.label,
    state: PeerState.PEER_STATE_UNKNOWN,
    endpoint: '',
    rxBytes: 0,
    txBytes: 0,
    reason: '',
    via,
    lastHandshake: undefined,
    lastEndpointChange: undefined,
  };
  if (!relay) return { status: { ...base, reason: 'the relay is not a known peer' } };
  if (relay.state !== PeerState.PEER_STATE_UP) {
    const state = relay.state === PeerState.PEER_STATE_DOWN ? PeerState.PEER_STATE_DOWN : PeerState.PEER_STATE_UNKNOWN;
    return { status: { ...base, state, reason: `relay ${via} is not up (${relay.reason})` } };
  }
  const windowMs = profile.probedStallMs ?? profile.peerDownIntervalMs;
  const relayStatus = { ...base, lastHandshake: relay.lastHandshake };
  const answered = probeAnsweredAt !== undefined && probeAnsweredAt >= since ? probeAnsweredAt : undefined;
  if (answered !== undefined && now - answered < windowMs)
    return {
      status: { ...relayStatus, state: PeerState.PEER_STATE_UP, reason: `answered through ${via} ${secs(now - answered)} ago` },
      recheckAt: answered + windowMs,
    };
  if (answered === undefined && now - since < windowMs)
    return { status: { ...relayStatus, reason: `waiting for an answer through ${via} (${secs(now - since)})` }, recheckAt: since + windowMs };
  const silent = answered === undefined ? 'no answer ever' : `no answer for ${secs(now - answered)}`;
  return { status: { ...relayStatus, state: PeerState.PEER_STATE_DOWN, reason: `relay ${via} is up; ${silent} through it` } };
}

import { pairStateOf } from '../../contract/mesh.js';
import type { PeerView } from '../../contract/status.js';
import type { AgentPeer } from './resource-checks.js';

/** A peer of the agent view as the contract shows it: state by name, handshake as ISO time, named by its label (else its key's start). */
export function peerView(peer: AgentPeer): PeerView {
  return {
    name: peer.label || peer.publicKey.slice(0, 8),
    publicKey: peer.publicKey,
    state: pairStateOf(peer.state),
    endpoint: peer.endpoint,
    lastHandshake: peer.lastHandshakeMs ? new Date(peer.lastHandshakeMs).toISOString() : null,
    rx: peer.rx,
    tx: peer.tx,
    rttMs: peer.rttMs,
    reason: peer.reason,
    ...(peer.via ? { via: peer.via } : {}),
  };
}

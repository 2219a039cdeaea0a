import { PeerState, type Identity, type PeerStatus } from '../../../proto/gen/spanwise/agent/v1/agent.js';
import { isWireGuardKey } from '../../../agent/lib/wireguard-keys.js';
import { isEndpoint, printable } from '../remote-fields.js';
import type { PeerObservation } from './types.js';

const LABEL = /^[A-Za-z0-9._-]{1,253}$/;
const MAX_REASON = 200;
/** Round trips above a minute are not measurements of a working mesh. */
const MAX_RTT_MS = 60_000;

/** An agent's peer status after validation: untrusted input from the network, checked field by field. */
export interface ValidPeer extends Omit<PeerObservation, 'to'> {
  publicKey: string;
  label: string;
}

const counter = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
const roundTrip = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= MAX_RTT_MS ? v : null);
const stateCode = (s: PeerState): 0 | 1 | 2 => (s === PeerState.PEER_STATE_UP ? 1 : s === PeerState.PEER_STATE_DOWN ? 2 : 0);

/** Validates one PeerStatus from an agent; null when its key is malformed. */
export function validatePeer(peer: PeerStatus): ValidPeer | null {
  if (typeof peer.publicKey !== 'string' || !isWireGuardKey(peer.publicKey)) return null;
  const handshake = peer.lastHandshake instanceof Date ? peer.lastHandshake.getTime() : 0;
  return {
    publicKey: peer.publicKey,
    label: typeof peer.label === 'string' && LABEL.test(peer.label) ? peer.label : '',
    state: stateCode(peer.state),
    endpoint: typeof peer.endpoint === 'string' && isEndpoint(peer.endpoint) ? peer.endpoint : null,
    lastHandshakeMs: Number.isFinite(handshake) && handshake > 0 ? handshake : 0,
    rx: counter(peer.rxBytes),
    tx: counter(peer.txBytes),
    reason: typeof peer.reason === 'string' && peer.reason !== '' ? printable(peer.reason, MAX_REASON) : null,
    rttMs: peer.state === PeerState.PEER_STATE_UP ? roundTrip(peer.rttMs) : null,
  };
}

/** The identity fields the mesh view uses, validated. */
export function validateIdentity(identity: Identity): { publicKey: string; address: string | null } | null {
  if (!isWireGuardKey(identity.publicKey)) return null;
  return { publicKey: identity.publicKey, address: /^[0-9a-fA-F:]{2,45}$/.test(identity.address) ? identity.address : null };
}

/**
 * Maps peers to node indexes: by the public key a node's own agent reports as
 * its identity first, then by the peer's label (its hostname, which onboarding
 * sets to the machine name). Peers that match no machine are left out.
 */
export class PeerResolver {
  private readonly byKey = new Map<string, number>();

  constructor(private readonly indexOfName: (name: string) => number) {}

  /** Records the public key a node reports for itself. */
  learn(index: number, publicKey: string): boolean {
    if (this.byKey.get(publicKey) === index) return false;
    for (const [key, i] of this.byKey) if (i === index) this.byKey.delete(key);
    this.byKey.set(publicKey, index);
    return true;
  }

  resolve(peer: ValidPeer): number {
    const byKey = this.byKey.get(peer.publicKey);
    if (byKey !== undefined) return byKey;
    if (!peer.label) return -1;
    const exact = this.indexOfName(peer.label);
    return exact >= 0 ? exact : this.indexOfName(peer.label.split('.')[0] as string);
  }

  /** Turns validated peers into observations; `self` is skipped. */
  observations(self: number, peers: Iterable<ValidPeer>): PeerObservation[] {
    const out: PeerObservation[] = [];
    for (const peer of peers) {
      const to = this.resolve(peer);
      if (to < 0 || to === self) continue;
      out.push({ to, state: peer.state, endpoint: peer.endpoint, lastHandshakeMs: peer.lastHandshakeMs, rx: peer.rx, tx: peer.tx, reason: peer.reason, rttMs: peer.rttMs });
    }
    return out;
  }
}

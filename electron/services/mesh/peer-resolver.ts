import { peerCode, type AgentPeer } from '../agents/agent-view.js';
import type { PeerObservation } from './types.js';

/**
 * Maps peers to node indexes: by the public key a node's own agent reports as
 * its identity first, then by the peer's label (its hostname, which onboarding
 * sets to the machine name). Peers that match no machine are left out. A relayed
 * peer's `via` (the relay's hostname) turns into the relay's machine name the same way.
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

  resolve(peer: AgentPeer): number {
    const byKey = this.byKey.get(peer.publicKey);
    if (byKey !== undefined) return byKey;
    const name = this.nameOf(peer.label);
    return name === undefined ? -1 : this.indexOfName(name);
  }

  /** The machine name a label (a hostname) stands for: itself, or its first part; undefined when neither is a machine. */
  private nameOf(label: string): string | undefined {
    if (!label) return undefined;
    const short = label.split('.')[0] as string;
    return this.indexOfName(label) >= 0 ? label : this.indexOfName(short) >= 0 ? short : undefined;
  }

  /** Turns peers into observations; `self` is skipped. */
  observations(self: number, peers: Iterable<AgentPeer>): PeerObservation[] {
    const out: PeerObservation[] = [];
    for (const peer of peers) {
      const to = this.resolve(peer);
      if (to < 0 || to === self) continue;
      out.push({
        to,
        state: peerCode(peer),
        endpoint: peer.endpoint,
        lastHandshakeMs: peer.lastHandshakeMs,
        rx: peer.rx,
        tx: peer.tx,
        reason: peer.reason,
        rttMs: peer.rttMs,
        ...(peer.via ? { via: this.nameOf(peer.via) ?? peer.via } : {}),
      });
    }
    return out;
  }
}

import type { MachineAgent } from '../agents/connect-machine.js';
import type { MeshAggregator } from './aggregator.js';
import { AgentWatcher, type Timers } from './agent-watch.js';
import type { BackoffPolicy } from './backoff.js';
import { PeerResolver, type ValidPeer } from './peer-input.js';

/** Feeds an aggregator from live inputs; started and stopped by the MeshService. */
export interface MeshSource {
  start(aggregator: MeshAggregator): void;
  stop(): Promise<void>;
}

/** Opens the agent of a node by name. */
export type NodeAgentOpener = (name: string) => Promise<MachineAgent>;

/**
 * Watches every node's agent (one WatchResources stream each) and applies
 * identities, peer lists and peer updates to the aggregator, mapping peers to
 * nodes by public key, then by label.
 */
export class AgentMeshSource implements MeshSource {
  private watchers: AgentWatcher[] = [];

  constructor(
    private readonly open: NodeAgentOpener,
    private readonly options: { now?: () => number; backoff?: BackoffPolicy; timers?: Timers } = {},
  ) {}

  start(aggregator: MeshAggregator): void {
    const now = this.options.now ?? Date.now;
    const resolver = new PeerResolver((name) => aggregator.indexOf(name));
    const rows = new Map<number, Map<string, ValidPeer>>();
    const addresses = new Map<number, string | null>();
    const replay = () => {
      for (const [from, peers] of rows) aggregator.replaceRow(from, resolver.observations(from, peers.values()), now());
    };
    this.watchers = Array.from({ length: aggregator.n }, (_, from) => {
      const name = aggregator.nameOf(from) as string;
      return new AgentWatcher(
        () => this.open(name),
        {
          link: (link) => {
            if (!link.reachable) rows.delete(from);
            aggregator.setAgent(from, { ...link, address: link.reachable ? (addresses.get(from) ?? null) : null });
          },
          identity: (publicKey, address) => {
            addresses.set(from, address);
            aggregator.setAddress(from, address);
            if (resolver.learn(from, publicKey)) replay();
          },
          peers: (peers) => {
            rows.set(from, new Map(peers.map((p) => [p.publicKey, p])));
            aggregator.replaceRow(from, resolver.observations(from, peers), now());
          },
          peer: (peer) => {
            const row = rows.get(from) ?? new Map<string, ValidPeer>();
            row.set(peer.publicKey, peer);
            rows.set(from, row);
            for (const observation of resolver.observations(from, [peer])) aggregator.observe(from, observation, now());
          },
        },
        { backoff: this.options.backoff, timers: this.options.timers },
      );
    });
    for (const watcher of this.watchers) watcher.start();
  }

  async stop(): Promise<void> {
    const watchers = this.watchers;
    this.watchers = [];
    await Promise.all(watchers.map((w) => w.stop()));
  }
}

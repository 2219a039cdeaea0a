import type { AgentPeer } from '../agents/agent-view.js';
import type { MachineAgent } from '../agents/connect-machine.js';
import type { MeshAggregator } from './aggregator.js';
import type { Timers } from '../../../agent/shared/clock.js';
import { AgentWatcher, type WatchedAgent } from './agent-watch.js';
import type { BackoffPolicy } from './backoff.js';
import { unmatchedPeers, type ForeignMember } from './foreign-members.js';
import { PeerResolver } from './peer-resolver.js';

/** Feeds an aggregator from live inputs; driven by the MeshService. */
export interface MeshSource {
  /**
   * Feeds `aggregator` from now on. The first call starts watching its nodes;
   * a later call (a new aggregator over a changed node set of the same cluster)
   * keeps the watches of nodes that stay, starts new ones and stops the rest.
   */
  follow(aggregator: MeshAggregator): void;
  /** Asks one node's agent again now rather than after its backoff (e.g. it was just onboarded). */
  refresh(name: string): void;
  stop(): Promise<void>;
  /** What the source knows of one node's agent; undefined for a node it does not watch. */
  agent(name: string): WatchedAgent | undefined;
  /** Resolves once every named node's agent has answered (a first snapshot, or a failure), or after `timeoutMs`. */
  settled(names: string[], timeoutMs: number): Promise<void>;
  /**
   * Calls `listener` with every member the agents peer with that is no watched node, each time that set
   * (keys and labels) changes; the view then grows those members as nodes Spanwise does not manage.
   */
  onForeign?(listener: (members: ForeignMember[]) => void): void;
}

/** Opens the agent of a node by name. */
export type NodeAgentOpener = (name: string) => Promise<MachineAgent>;

/** What the source keeps of one node, so a rebuilt view can be fed again without asking the agent. */
interface NodeFeed {
  watcher: AgentWatcher;
  publicKey: string | null;
  /** The mesh address from the node's identity, kept while its agent is away. */
  address: string | null;
  /** The node's peers by public key, with when each was last reported. */
  peers: Map<string, { peer: AgentPeer; at: number }>;
}

/**
 * Watches every node's agent (one WatchResources stream each) and applies
 * identities, peer lists and peer updates to the aggregator, mapping peers to
 * nodes by public key, then by label.
 */
export class AgentMeshSource implements MeshSource {
  private readonly feeds = new Map<string, NodeFeed>();
  private aggregator: MeshAggregator | null = null;
  private resolver = new PeerResolver(() => -1);
  private foreignListener: (members: ForeignMember[]) => void = () => undefined;
  private foreignSeen = '';
  /** Nodes removed from the inventory, by name and key: peers that still list one for a while are no member to show. */
  private readonly removed = { names: new Set<string>(), keys: new Set<string>() };

  constructor(
    private readonly open: NodeAgentOpener,
    private readonly options: { now?: () => number; backoff?: BackoffPolicy; timers?: Timers } = {},
  ) {}

  follow(aggregator: MeshAggregator): void {
    this.aggregator = aggregator;
    this.resolver = new PeerResolver((name) => aggregator.indexOf(name));
    for (const [name, feed] of this.feeds) {
      if (aggregator.indexOf(name) >= 0) continue;
      this.removed.names.add(name);
      if (feed.publicKey) this.removed.keys.add(feed.publicKey);
      this.feeds.delete(name);
      void feed.watcher.stop();
    }
    const started: AgentWatcher[] = [];
    for (let i = 0; i < aggregator.n; i += 1) {
      const info = aggregator.info(i);
      if (info.managed === false) {
        if (info.publicKey) this.resolver.learn(i, info.publicKey);
        continue;
      }
      const name = info.name;
      const feed = this.feeds.get(name);
      if (feed) {
        if (feed.publicKey) this.resolver.learn(i, feed.publicKey);
      } else {
        const watcher = this.watch(name);
        this.feeds.set(name, { watcher, publicKey: null, address: null, peers: new Map() });
        started.push(watcher);
      }
    }
    for (const name of this.feeds.keys()) this.replay(name);
    for (const watcher of started) watcher.start();
  }

  onForeign(listener: (members: ForeignMember[]) => void): void {
    this.foreignListener = listener;
  }

  refresh(name: string): void {
    this.feeds.get(name)?.watcher.reconnect();
  }

  agent(name: string): WatchedAgent | undefined {
    return this.feeds.get(name)?.watcher.watched();
  }

  async settled(names: string[], timeoutMs: number): Promise<void> {
    const answers = names.flatMap((name) => this.feeds.get(name)?.watcher.firstAnswer ?? []);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all(answers), timeout]);
    clearTimeout(timer);
  }

  async stop(): Promise<void> {
    const feeds = [...this.feeds.values()];
    this.feeds.clear();
    this.aggregator = null;
    await Promise.all(feeds.map((f) => f.watcher.stop()));
  }

  private watch(name: string): AgentWatcher {
    const now = this.options.now ?? Date.now;
    const live = (): { feed: NodeFeed; aggregator: MeshAggregator; from: number } | null => {
      const feed = this.feeds.get(name);
      const aggregator = this.aggregator;
      if (!feed || feed.watcher !== watcher || !aggregator) return null;
      return { feed, aggregator, from: aggregator.indexOf(name) };
    };
    const watcher: AgentWatcher = new AgentWatcher(
      () => this.open(name),
      {
        link: (link) => {
          const at = live();
          if (!at) return;
          if (!link.reachable) at.feed.peers.clear();
          at.aggregator.setAgent(at.from, { ...link, address: link.reachable ? at.feed.address : null });
          if (!link.reachable) this.checkForeign();
        },
        identity: ({ publicKey, address }) => {
          const at = live();
          if (!at) return;
          at.feed.publicKey = publicKey;
          at.feed.address = address;
          at.aggregator.setAddress(at.from, address);
          if (this.resolver.learn(at.from, publicKey)) for (const other of this.feeds.keys()) this.replay(other);
          this.checkForeign();
        },
        peers: (peers) => {
          const at = live();
          if (!at) return;
          const t = now();
          at.feed.peers = new Map(peers.map((peer) => [peer.publicKey, { peer, at: t }]));
          at.aggregator.replaceRow(at.from, this.resolver.observations(at.from, peers), t);
          this.checkForeign();
        },
        peer: (peer) => {
          const at = live();
          if (!at) return;
          const t = now();
          at.feed.peers.set(peer.publicKey, { peer, at: t });
          for (const observation of this.resolver.observations(at.from, [peer])) at.aggregator.observe(at.from, observation, t);
          this.checkForeign();
        },
      },
      { backoff: this.options.backoff, timers: this.options.timers },
    );
    return watcher;
  }

  /**
   * Members the watched agents peer with that are none of the watched nodes (by their own key, else by
   * label as the resolver matches machines); tells the listener when the set of keys and labels changed.
   */
  private checkForeign(): void {
    const own = new Set([...this.feeds.values()].flatMap((f) => f.publicKey ?? []).concat([...this.removed.keys]));
    const peers = [...this.feeds.values()].flatMap((f) => [...f.peers.values()].map(({ peer }) => peer));
    const members = unmatchedPeers(peers, own, (name) => this.feeds.has(name) || this.removed.names.has(name));
    const seen = members
      .map((m) => `${m.publicKey} ${m.label}`)
      .sort()
      .join('\n');
    if (seen === this.foreignSeen) return;
    this.foreignSeen = seen;
    this.foreignListener(members);
  }

  /** Applies a node's kept peers again, each at the time it was reported (a no-op for pairs the view already has). */
  private replay(name: string): void {
    const feed = this.feeds.get(name);
    const aggregator = this.aggregator;
    if (!feed || !aggregator) return;
    const from = aggregator.indexOf(name);
    const reported = new Set<number>();
    for (const { peer, at } of feed.peers.values()) {
      for (const observation of this.resolver.observations(from, [peer])) {
        aggregator.observe(from, observation, at);
        reported.add(observation.to);
      }
    }
    aggregator.retainRow(from, reported);
  }
}

import { SpanwiseError } from '../../../agent/shared/errors.js';
import type { MeshSnapshot, PairDetail } from '../../contract/mesh.js';
import type { DomainEvent, DomainEvents } from '../domain-events.js';
import type { EventBus } from '../events.js';
import type { MeshHistoryStore, Retention } from '../store/mesh-history.js';
import { MeshAggregator } from './aggregator.js';
import type { WatchedAgent } from './agent-watch.js';
import { foreignNodes } from './foreign-members.js';
import { HistorySampler } from './history-sampler.js';
import type { MeshSource } from './mesh-source.js';
import type { MeshNodeInfo } from './types.js';

/** What the mesh service needs: the cluster's nodes, a source of agent data, history and the event buses. */
export interface MeshServiceDeps {
  /** The current cluster's name and its nodes; throws (NO_CLUSTER) when no cluster is selected. */
  nodes: () => { cluster: string; nodes: MeshNodeInfo[] };
  /** A new source for one cluster. */
  source: () => MeshSource;
  history: MeshHistoryStore;
  events: EventBus;
  /** Inventory changes; the view follows them while it runs. */
  inventory: DomainEvents;
  now?: () => number;
  /** How often patches are pushed (ms). */
  patchEveryMs?: number;
  /** How often history is sampled (ms); each pair is written on change or once per `historyEveryMs`. */
  sampleEveryMs?: number;
  historyEveryMs?: number;
  retention?: Retention;
}

const sameNodes = (a: MeshNodeInfo[], b: MeshNodeInfo[]) =>
  a.length === b.length &&
  a.every((n, i) => n.name === b[i]?.name && n.site === b[i]?.site && n.role === b[i]?.role && n.managed === b[i]?.managed && n.publicKey === b[i]?.publicKey);

/**
 * The live mesh view: starts a source over the cluster's nodes, pushes
 * `mesh:patch` (or `mesh:snapshot` when a patch would be larger) on the
 * event bus, and samples pair history into SQLite with bounded retention.
 * It follows the inventory: a machine added or removed rebuilds the view
 * (keeping what is known of the nodes that stay), a cluster switch starts
 * over on the other cluster; each change is pushed as a `mesh:snapshot`.
 * Members the agents peer with that are no machine of the inventory join the
 * view after the machines, as nodes Spanwise does not manage.
 */
export class MeshService {
  private aggregator: MeshAggregator | null = null;
  private sampler: HistorySampler | null = null;
  private source: MeshSource | null = null;
  /** The members not managed that the source last reported, as nodes (after the machines). */
  private foreign: MeshNodeInfo[] = [];
  private cluster = '';
  /** The last version pushed, over every view this service has built (-1: none yet). */
  private lastVersion = -1;
  private live = false;
  private timers: NodeJS.Timeout[] = [];
  private ticks = 0;
  private readonly retiring = new Set<Promise<void>>();
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: MeshServiceDeps) {
    this.unsubscribe = deps.inventory.on((event) => this.follow(event));
  }

  /** Starts watching the current cluster (a no-op when already running). */
  start(): void {
    if (this.aggregator) return;
    const { cluster, nodes } = this.deps.nodes();
    this.open(cluster, nodes);
    if (this.live) return;
    this.live = true;
    this.timers = [setInterval(() => this.flush(), this.deps.patchEveryMs ?? 500), setInterval(() => this.sample(), this.deps.sampleEveryMs ?? 10_000)];
    for (const timer of this.timers) timer.unref();
  }

  async stop(): Promise<void> {
    this.live = false;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.close();
    await Promise.all([...this.retiring]);
  }

  /** Stops for good: also stops following the inventory. */
  async dispose(): Promise<void> {
    this.unsubscribe();
    await this.stop();
  }

  /** Stops and starts again over the current cluster's nodes. */
  async restart(): Promise<void> {
    await this.stop();
    this.start();
  }

  /**
   * Brings the view in line with the inventory after a change (a no-op when
   * not started): the same nodes keep the view, a changed node set rebuilds
   * it, another cluster (or none) starts over. Called for each domain event.
   */
  follow(event?: DomainEvent): void {
    if (!this.live) return;
    let current: { cluster: string; nodes: MeshNodeInfo[] } | null;
    try {
      current = this.deps.nodes();
    } catch (error) {
      if (!(error instanceof SpanwiseError) || error.code !== 'NO_CLUSTER') throw error;
      current = null;
    }
    if (!current) {
      if (!this.aggregator) return;
      this.close();
      this.lastVersion += 1;
      this.deps.events.emit('mesh:snapshot', {
        version: this.lastVersion,
        cluster: null,
        nodes: [],
        cells: [],
        clusterHealth: 0,
        updatedAt: new Date((this.deps.now ?? Date.now)()).toISOString(),
      });
      return;
    }
    const previous = this.aggregator;
    if (!previous || current.cluster !== this.cluster) {
      this.close();
      this.open(current.cluster, current.nodes);
      return;
    }
    const nodes = [...current.nodes, ...this.foreign.filter((f) => !current.nodes.some((n) => n.name === f.name))];
    if (!sameNodes(this.nodesOf(previous), nodes)) {
      this.aggregator = MeshAggregator.following(previous, nodes, this.deps.now ?? Date.now);
      this.sampler = new HistorySampler(this.aggregator, this.deps.historyEveryMs ?? 60_000, this.sampler ?? undefined);
      this.source?.follow(this.aggregator);
      this.emitSnapshot();
    }
    if (event?.kind === 'machine-state' && event.state === 'onboarded' && event.cluster === this.cluster) this.source?.refresh(event.machine);
  }

  /** The current view (starting the watch if needed). */
  snapshot(): MeshSnapshot {
    return { ...this.running().snapshot(), cluster: this.cluster };
  }

  /** One ordered pair with its history over the last `historyMinutes`. */
  pair(from: string, to: string, historyMinutes: number): PairDetail {
    const aggregator = this.running();
    const i = aggregator.indexOf(from);
    const j = aggregator.indexOf(to);
    if (i < 0 || j < 0)
      throw new SpanwiseError('NODE_NOT_FOUND', `no node named '${i < 0 ? from : to}' in the mesh of ${this.cluster}`, 'pick two nodes from the mesh view');
    if (i === j) throw new SpanwiseError('INVALID_PAIR', 'a pair needs two different nodes', 'pick two different nodes');
    const now = (this.deps.now ?? Date.now)();
    return { ...aggregator.detail(i, j), history: this.deps.history.pair(this.cluster, from, to, now - historyMinutes * 60_000) };
  }

  /** Pushes pending changes as a patch or a snapshot (called on a timer; public for tests). */
  flush(): void {
    const taken = this.aggregator?.takePatch();
    if (!taken) return;
    this.lastVersion = taken.kind === 'patch' ? taken.patch.version : taken.snapshot.version;
    if (taken.kind === 'patch') this.deps.events.emit('mesh:patch', taken.patch);
    else this.deps.events.emit('mesh:snapshot', { ...taken.snapshot, cluster: this.cluster });
  }

  /** Writes due history samples and prunes now and then (called on a timer; public for tests). */
  sample(): void {
    if (!this.sampler) return;
    const now = (this.deps.now ?? Date.now)();
    this.deps.history.append(this.cluster, this.sampler.due(now));
    this.ticks += 1;
    if (this.ticks % 6 === 1) this.deps.history.prune(now, this.deps.retention);
  }

  /**
   * Every node of the view with what the watch knows of its agent (starting
   * the watch if needed), after waiting up to `waitMs` for agents that have
   * not answered yet; `agent` is undefined for a node the source does not watch
   * (members not managed, which the agents' answers add to the view).
   */
  async agents(waitMs: number): Promise<{ cluster: string; nodes: Array<{ node: MeshNodeInfo; agent: WatchedAgent | undefined }> }> {
    const aggregator = this.running();
    const { cluster } = this;
    const source = this.source as MeshSource;
    await source.settled(
      this.nodesOf(aggregator)
        .filter((n) => n.managed !== false)
        .map((n) => n.name),
      waitMs,
    );
    const nodes = this.source === source ? this.nodesOf(this.aggregator ?? aggregator) : this.nodesOf(aggregator);
    return { cluster, nodes: nodes.map((node) => ({ node, agent: node.managed === false ? undefined : source.agent(node.name) })) };
  }

  /** The aggregator, for the diagnosis (null when not started). */
  view(): MeshAggregator | null {
    return this.aggregator;
  }

  private open(cluster: string, nodes: MeshNodeInfo[]): void {
    this.cluster = cluster;
    this.aggregator = new MeshAggregator(nodes, this.deps.now ?? Date.now, this.lastVersion + 1);
    this.sampler = new HistorySampler(this.aggregator, this.deps.historyEveryMs ?? 60_000);
    this.foreign = [];
    const source = this.deps.source();
    this.source = source;
    source.onForeign?.((members) => {
      if (this.source !== source || !this.aggregator) return;
      const managed = this.nodesOf(this.aggregator).filter((n) => n.managed !== false);
      this.foreign = foreignNodes(members, managed, this.foreign);
      this.follow();
    });
    source.follow(this.aggregator);
    this.emitSnapshot();
  }

  private close(): void {
    const source = this.source;
    this.source = null;
    this.aggregator = null;
    this.sampler = null;
    this.cluster = '';
    if (!source) return;
    const stopped = source.stop().finally(() => this.retiring.delete(stopped));
    this.retiring.add(stopped);
  }

  private emitSnapshot(): void {
    const snapshot = this.snapshot();
    this.lastVersion = snapshot.version;
    this.deps.events.emit('mesh:snapshot', snapshot);
  }

  private nodesOf(aggregator: MeshAggregator): MeshNodeInfo[] {
    return Array.from({ length: aggregator.n }, (_, i) => aggregator.info(i));
  }

  private running(): MeshAggregator {
    this.start();
    return this.aggregator as MeshAggregator;
  }
}

import { SpanwiseError } from '../../../agent/lib/errors.js';
import type { MeshSnapshot, PairDetail } from '../../contract/mesh.js';
import type { EventBus } from '../events.js';
import type { MeshHistoryStore, Retention } from '../store/mesh-history.js';
import { MeshAggregator } from './aggregator.js';
import { HistorySampler } from './history-sampler.js';
import type { MeshSource } from './mesh-source.js';
import type { MeshNodeInfo } from './types.js';

/** What the mesh service needs: the cluster's nodes, a source of agent data, history and the event bus. */
export interface MeshServiceDeps {
  /** The current cluster's name and its nodes. */
  nodes: () => { cluster: string; nodes: MeshNodeInfo[] };
  source: () => MeshSource;
  history: MeshHistoryStore;
  events: EventBus;
  now?: () => number;
  /** How often patches are pushed (ms). */
  patchEveryMs?: number;
  /** How often history is sampled (ms); each pair is written on change or once per `historyEveryMs`. */
  sampleEveryMs?: number;
  historyEveryMs?: number;
  retention?: Retention;
}

/**
 * The live mesh view: starts a source over the cluster's nodes, pushes
 * `mesh:patch` (or `mesh:snapshot` when a patch would be larger) on the
 * event bus, and samples pair history into SQLite with bounded retention.
 */
export class MeshService {
  private aggregator: MeshAggregator | null = null;
  private sampler: HistorySampler | null = null;
  private source: MeshSource | null = null;
  private cluster = '';
  private timers: NodeJS.Timeout[] = [];
  private ticks = 0;

  constructor(private readonly deps: MeshServiceDeps) {}

  /** Starts watching the current cluster (a no-op when already running). */
  start(): void {
    if (this.aggregator) return;
    const { cluster, nodes } = this.deps.nodes();
    const now = this.deps.now ?? Date.now;
    this.cluster = cluster;
    this.aggregator = new MeshAggregator(nodes, now);
    this.sampler = new HistorySampler(this.aggregator, this.deps.historyEveryMs ?? 60_000);
    this.source = this.deps.source();
    this.source.start(this.aggregator);
    this.deps.events.emit('mesh:snapshot', this.aggregator.snapshot());
    this.timers = [setInterval(() => this.flush(), this.deps.patchEveryMs ?? 500), setInterval(() => this.sample(), this.deps.sampleEveryMs ?? 10_000)];
    for (const timer of this.timers) timer.unref();
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    const source = this.source;
    this.source = null;
    this.aggregator = null;
    this.sampler = null;
    await source?.stop();
  }

  /** Stops and starts again, e.g. after the cluster or its machines changed. */
  async restart(): Promise<void> {
    await this.stop();
    this.start();
  }

  /** The current view (starting the watch if needed). */
  snapshot(): MeshSnapshot {
    return this.running().snapshot();
  }

  /** One ordered pair with its history over the last `historyMinutes`. */
  pair(from: string, to: string, historyMinutes: number): PairDetail {
    const aggregator = this.running();
    const i = aggregator.indexOf(from);
    const j = aggregator.indexOf(to);
    if (i < 0 || j < 0) throw new SpanwiseError('NODE_NOT_FOUND', `no node named '${i < 0 ? from : to}' in the mesh of ${this.cluster}`, 'pick two nodes from the mesh view');
    if (i === j) throw new SpanwiseError('INVALID_PAIR', 'a pair needs two different nodes', 'pick two different nodes');
    const now = (this.deps.now ?? Date.now)();
    return { ...aggregator.detail(i, j), history: this.deps.history.pair(this.cluster, from, to, now - historyMinutes * 60_000) };
  }

  /** Pushes pending changes as a patch or a snapshot (called on a timer; public for tests). */
  flush(): void {
    const taken = this.aggregator?.takePatch();
    if (!taken) return;
    if (taken.kind === 'patch') this.deps.events.emit('mesh:patch', taken.patch);
    else this.deps.events.emit('mesh:snapshot', taken.snapshot);
  }

  /** Writes due history samples and prunes now and then (called on a timer; public for tests). */
  sample(): void {
    if (!this.sampler) return;
    const now = (this.deps.now ?? Date.now)();
    this.deps.history.append(this.cluster, this.sampler.due(now));
    this.ticks += 1;
    if (this.ticks % 6 === 1) this.deps.history.prune(now, this.deps.retention);
  }

  /** The aggregator, for the diagnosis (null when not started). */
  view(): MeshAggregator | null {
    return this.aggregator;
  }

  private running(): MeshAggregator {
    this.start();
    return this.aggregator as MeshAggregator;
  }
}

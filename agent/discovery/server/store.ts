import type { Affiliate } from '../../../proto/gen/sidero/discovery/server/cluster.js';
import type { AffiliateRecord } from './affiliate-record.js';
import type { Clock } from '../../shared/clock.js';
import { InFlight } from './in-flight.js';
import { ClusterState, type FanoutOptions } from './cluster-state.js';
import { checkBlobs, checkId, checkTtl, exhausted, type Limits } from './limits.js';
import type { MemoryGuard } from './memory-guard.js';
import { RateLimiter, type RateLimit } from './rate-limiter.js';
import type { Totals } from './watch-fanout.js';
import type { WatchSink } from './watcher.js';

/** Counts shown by metrics and the status page (never contents). */
export interface StoreStats {
  clusters: number;
  affiliates: number;
  endpoints: number;
  watchers: number;
  /** Bytes handed to Watch streams and not yet taken by their readers (each shared buffer once). */
  watchQueuedBytes: number;
}

/** One AffiliateUpdate as received. */
export interface UpdateInput {
  clusterId: string;
  affiliateId: string;
  affiliateData?: Buffer | undefined;
  affiliateEndpoints: Buffer[];
  ttl: { seconds: number; nanos: number } | undefined;
}

/**
 * All clusters of one server. Validates every input before anything is stored, and
 * refuses with RESOURCE_EXHAUSTED what would go over the server's capacity: a new
 * cluster, affiliate or watcher over its count, a new cluster past the creation
 * budget (so a flood of new cluster ids is refused before it costs the clusters
 * already held their latency), or any new state while the memory guard says the
 * process is over its limit.
 */
export class Store {
  readonly clusters = new Map<string, ClusterState>();
  private readonly totals: Totals = { affiliates: 0, watchers: 0, inFlight: new InFlight() };
  private readonly creations: RateLimiter | undefined;

  constructor(
    readonly limits: Limits,
    private readonly clock: Clock,
    private readonly fanout: FanoutOptions,
    private readonly guard?: MemoryGuard,
    private readonly newClusterRate?: RateLimit,
  ) {
    this.creations = newClusterRate && new RateLimiter(newClusterRate, clock);
  }

  /** The cluster `id`; with `create`, made when missing (within the limits, and the creation budget unless `restoring`). */
  cluster(id: string, create: boolean, restoring = false): ClusterState | undefined {
    let cluster = this.clusters.get(id);
    if (!cluster && create) {
      if (this.clusters.size >= this.limits.maxClusters) throw exhausted(`server holds ${this.clusters.size} clusters (max ${this.limits.maxClusters})`);
      if (!restoring && this.creations && !this.creations.take('')) {
        const rate = this.newClusterRate?.perSecond ?? 0;
        throw exhausted(
          `new cluster ids are arriving faster than this server creates clusters (${rate}/s across all clients); retry in ${Math.max(1, Math.ceil(1 / rate))} s`,
        );
      }
      cluster = new ClusterState(id, this.limits, this.fanout, this.clock, this.totals);
      this.clusters.set(id, cluster);
    }
    return cluster;
  }

  update(input: UpdateInput): void {
    checkId(this.limits, 'cluster_id', input.clusterId);
    checkId(this.limits, 'affiliate_id', input.affiliateId);
    const ttlMs = checkTtl(this.limits, input.ttl);
    checkBlobs(this.limits, input.affiliateData, input.affiliateEndpoints);
    const existing = this.clusters.get(input.clusterId)?.affiliates.get(input.affiliateId);
    if (!existing && !input.affiliateData && input.affiliateEndpoints.length === 0) return;
    if (!existing) this.admitAffiliate();
    else if (existing.addsEndpoints(input.affiliateEndpoints)) this.guard?.check('new endpoints');
    const now = this.clock.now();
    const cluster = this.cluster(input.clusterId, true) as ClusterState;
    try {
      cluster.update(input.affiliateId, input.affiliateData, input.affiliateEndpoints, now + ttlMs, now);
    } finally {
      this.dropIfIdle(cluster);
    }
  }

  delete(clusterId: string, affiliateId: string): void {
    checkId(this.limits, 'cluster_id', clusterId);
    checkId(this.limits, 'affiliate_id', affiliateId);
    const cluster = this.cluster(clusterId, false);
    if (!cluster) return;
    cluster.delete(affiliateId);
    this.dropIfIdle(cluster);
  }

  list(clusterId: string): Affiliate[] {
    checkId(this.limits, 'cluster_id', clusterId);
    const cluster = this.cluster(clusterId, false);
    if (!cluster) return [];
    const affiliates = cluster.list(this.clock.now());
    this.dropIfIdle(cluster);
    return affiliates;
  }

  /** Starts a watcher; the returned function stops it. */
  watch(clusterId: string, sink: WatchSink): () => void {
    checkId(this.limits, 'cluster_id', clusterId);
    if (this.totals.watchers >= this.limits.maxWatchers) throw exhausted(`server has ${this.totals.watchers} watchers (max ${this.limits.maxWatchers})`);
    this.guard?.check('new watchers');
    const cluster = this.cluster(clusterId, true) as ClusterState;
    const watcher = cluster.watch(sink, this.clock.now());
    return () => {
      cluster.unwatch(watcher);
      this.dropIfIdle(cluster);
    };
  }

  /**
   * Adds a record read from the state file when the limits allow; returns why not
   * otherwise. The state file never gets past what live updates could not.
   */
  restore(clusterId: string, record: AffiliateRecord): 'ok' | 'cluster limit' | 'affiliate limit' | 'memory' {
    const cluster = this.clusters.get(clusterId);
    if (cluster?.affiliates.has(record.id)) return 'ok';
    if (!cluster && this.clusters.size >= this.limits.maxClusters) return 'cluster limit';
    if (this.totals.affiliates >= this.limits.maxAffiliates || (cluster?.affiliates.size ?? 0) >= this.limits.maxAffiliatesPerCluster) return 'affiliate limit';
    try {
      this.guard?.check('restored state');
    } catch {
      return 'memory';
    }
    (this.cluster(clusterId, true, true) as ClusterState).restore(record);
    return 'ok';
  }

  /** Forgets everything (a state file that turned out unreadable half way). */
  clear(): void {
    for (const cluster of this.clusters.values()) for (const watcher of [...cluster.watchers]) cluster.unwatch(watcher);
    this.clusters.clear();
    this.totals.affiliates = 0;
  }

  /** Garbage collection: expired affiliates are deleted, expired endpoints dropped. */
  gc(): { affiliatesRemoved: number; affiliatesUpdated: number } {
    const now = this.clock.now();
    const total = { affiliatesRemoved: 0, affiliatesUpdated: 0 };
    for (const cluster of this.clusters.values()) {
      const result = cluster.expire(now);
      total.affiliatesRemoved += result.affiliatesRemoved;
      total.affiliatesUpdated += result.affiliatesUpdated;
      this.dropIfIdle(cluster);
    }
    return total;
  }

  /** Bytes held for Watch readers (see InFlight). */
  get queuedBytes(): number {
    return this.totals.inFlight.bytes;
  }

  /** Resets watchers that have not taken their message in flight for `maxStallMs`; returns how many. */
  cutOffStalled(maxStallMs: number): number {
    const now = this.clock.now();
    let count = 0;
    for (const cluster of [...this.clusters.values()]) {
      count += cluster.cutOffStalled(now, maxStallMs);
      this.dropIfIdle(cluster);
    }
    return count;
  }

  stats(): StoreStats {
    const { affiliates, watchers, inFlight } = this.totals;
    const stats: StoreStats = { clusters: this.clusters.size, affiliates, endpoints: 0, watchers, watchQueuedBytes: inFlight.bytes };
    for (const cluster of this.clusters.values()) {
      for (const record of cluster.affiliates.values()) stats.endpoints += record.endpointCount;
    }
    return stats;
  }

  private admitAffiliate(): void {
    if (this.totals.affiliates >= this.limits.maxAffiliates)
      throw exhausted(`server holds ${this.totals.affiliates} affiliates (max ${this.limits.maxAffiliates})`);
    this.guard?.check('new affiliates');
  }

  private dropIfIdle(cluster: ClusterState): void {
    if (cluster.isIdle() && this.clusters.get(cluster.id) === cluster) this.clusters.delete(cluster.id);
  }
}

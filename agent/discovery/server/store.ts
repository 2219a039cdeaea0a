import type { Affiliate } from '../../../proto/gen/sidero/discovery/server/cluster.js';
import type { Clock } from './clock.js';
import { ClusterState, type FanoutOptions } from './cluster-state.js';
import { checkBlobs, checkId, checkTtl, type Limits } from './limits.js';
import type { WatchSink } from './watcher.js';

/** Counts shown by metrics and the status page (never contents). */
export interface StoreStats {
  clusters: number;
  affiliates: number;
  endpoints: number;
  watchers: number;
}

/** One AffiliateUpdate as received. */
export interface UpdateInput {
  clusterId: string;
  affiliateId: string;
  affiliateData?: Buffer | undefined;
  affiliateEndpoints: Buffer[];
  ttl: { seconds: number; nanos: number } | undefined;
}

/** All clusters of one server. Validates every input before anything is stored. */
export class Store {
  readonly clusters = new Map<string, ClusterState>();

  constructor(
    readonly limits: Limits,
    private readonly clock: Clock,
    private readonly fanout: FanoutOptions,
  ) {}

  cluster(id: string, create: boolean): ClusterState | undefined {
    let cluster = this.clusters.get(id);
    if (!cluster && create) {
      cluster = new ClusterState(id, this.limits, this.fanout);
      this.clusters.set(id, cluster);
    }
    return cluster;
  }

  update(input: UpdateInput): void {
    checkId(this.limits, 'cluster_id', input.clusterId);
    checkId(this.limits, 'affiliate_id', input.affiliateId);
    const ttlMs = checkTtl(this.limits, input.ttl);
    checkBlobs(this.limits, input.affiliateData, input.affiliateEndpoints);
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
    return this.cluster(clusterId, false)?.list(this.clock.now()) ?? [];
  }

  /** Starts a watcher; the returned function stops it. */
  watch(clusterId: string, sink: WatchSink): () => void {
    checkId(this.limits, 'cluster_id', clusterId);
    const cluster = this.cluster(clusterId, true) as ClusterState;
    const watcher = cluster.watch(sink, this.clock.now());
    return () => {
      cluster.unwatch(watcher);
      this.dropIfIdle(cluster);
    };
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

  stats(): StoreStats {
    const stats: StoreStats = { clusters: this.clusters.size, affiliates: 0, endpoints: 0, watchers: 0 };
    for (const cluster of this.clusters.values()) {
      stats.affiliates += cluster.affiliates.size;
      stats.watchers += cluster.watchers.size;
      for (const record of cluster.affiliates.values()) stats.endpoints += record.endpoints.size;
    }
    return stats;
  }

  private dropIfIdle(cluster: ClusterState): void {
    if (cluster.isIdle() && this.clusters.get(cluster.id) === cluster) this.clusters.delete(cluster.id);
  }
}

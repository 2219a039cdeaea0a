import type { MemoryStatus } from './memory-guard.js';
import type { StoreStats } from './store.js';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
const PREFIX = 'spanwise_discovery';

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

/** Server counters, rendered in the Prometheus text format. Labels are RPC names and codes only. */
export class Metrics {
  private readonly rpcs = new Map<string, number>();
  private readonly latencies = new Map<string, Histogram>();
  watchAborted = 0;
  /** Watchers reset because their reader stopped taking data. */
  watchCutOff = 0;
  rateLimited = 0;
  gcAffiliatesRemoved = 0;
  gcAffiliatesUpdated = 0;
  snapshotsWritten = 0;
  snapshotFailures = 0;
  readonly startedAt = Date.now();

  /** Records one finished RPC (for Watch: its start). */
  rpc(method: string, code: string, seconds: number): void {
    const key = `${method}\u0000${code}`;
    this.rpcs.set(key, (this.rpcs.get(key) ?? 0) + 1);
    let h = this.latencies.get(method);
    if (!h) {
      h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.latencies.set(method, h);
    }
    const index = BUCKETS.findIndex((b) => seconds <= b);
    if (index >= 0) h.counts[index] = (h.counts[index] ?? 0) + 1;
    h.sum += seconds;
    h.count += 1;
  }

  /** Total RPCs per method (status page). */
  rpcTotals(): Record<string, number> {
    const totals: Record<string, number> = {};
    for (const [key, n] of this.rpcs) {
      const method = key.split('\u0000')[0] as string;
      totals[method] = (totals[method] ?? 0) + n;
    }
    return totals;
  }

  render(stats: StoreStats, memory?: MemoryStatus): string {
    const out: string[] = [];
    const gauge = (name: string, help: string, value: number, type = 'gauge') => {
      out.push(`# HELP ${PREFIX}_${name} ${help}`, `# TYPE ${PREFIX}_${name} ${type}`, `${PREFIX}_${name} ${value}`);
    };
    gauge('clusters', 'Clusters with affiliates or watchers.', stats.clusters);
    gauge('affiliates', 'Stored affiliates.', stats.affiliates);
    gauge('endpoints', 'Stored endpoint blobs.', stats.endpoints);
    gauge('watchers', 'Open Watch streams.', stats.watchers);
    gauge('watch_queued_bytes', 'Bytes handed to Watch streams and not yet taken by their readers.', stats.watchQueuedBytes);
    gauge('watch_aborted_total', 'Watchers cut off for falling behind.', this.watchAborted, 'counter');
    gauge('watch_cut_off_total', 'Watchers reset because their reader stopped taking data.', this.watchCutOff, 'counter');
    if (memory) {
      gauge('memory_limit_bytes', 'Resident memory above which new state is refused.', memory.limitBytes);
      gauge('memory_resident_bytes', 'Resident memory at the last reading.', memory.rssBytes);
      gauge('memory_over_limit', 'Whether new state is being refused for memory (1) or not (0).', memory.over ? 1 : 0);
    }
    gauge('rate_limited_total', 'Requests refused by the per-network rate limit (IPv6 /64, IPv4 address).', this.rateLimited, 'counter');
    gauge('gc_affiliates_removed_total', 'Affiliates removed because everything in them expired.', this.gcAffiliatesRemoved, 'counter');
    gauge('gc_affiliates_updated_total', 'Affiliates that lost expired data or endpoints.', this.gcAffiliatesUpdated, 'counter');
    gauge('snapshots_total', 'State snapshots written.', this.snapshotsWritten, 'counter');
    gauge('snapshot_failures_total', 'State snapshots that failed.', this.snapshotFailures, 'counter');
    out.push(`# HELP ${PREFIX}_rpc_total RPCs by method and status code.`, `# TYPE ${PREFIX}_rpc_total counter`);
    for (const [key, n] of this.rpcs) {
      const [method, code] = key.split('\u0000');
      out.push(`${PREFIX}_rpc_total{method="${method}",code="${code}"} ${n}`);
    }
    out.push(`# HELP ${PREFIX}_rpc_duration_seconds RPC handling time (Watch: until the stream starts).`, `# TYPE ${PREFIX}_rpc_duration_seconds histogram`);
    for (const [method, h] of this.latencies) {
      let cumulative = 0;
      BUCKETS.forEach((b, i) => {
        cumulative += h.counts[i] ?? 0;
        out.push(`${PREFIX}_rpc_duration_seconds_bucket{method="${method}",le="${b}"} ${cumulative}`);
      });
      out.push(`${PREFIX}_rpc_duration_seconds_bucket{method="${method}",le="+Inf"} ${h.count}`);
      out.push(`${PREFIX}_rpc_duration_seconds_sum{method="${method}"} ${h.sum}`, `${PREFIX}_rpc_duration_seconds_count{method="${method}"} ${h.count}`);
    }
    return `${out.join('\n')}\n`;
  }
}

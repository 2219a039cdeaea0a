import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { addProcessMetrics } from '../../metrics/process-metrics.js';
import type { MemoryStatus } from './memory-guard.js';
import type { StoreStats } from './store.js';

const SERVICE = 'sidero.discovery.server.Cluster';
const PREFIX = 'spanwise_discovery';
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
const GRPC_LABELS = ['grpc_service', 'grpc_method', 'grpc_type'] as const;

/** A status name as Go's codes.Code prints it (INVALID_ARGUMENT: InvalidArgument), as go-grpc-prometheus labels it. */
function goCodeName(code: string): string {
  if (code === 'CANCELLED') return 'Canceled';
  return code
    .toLowerCase()
    .split('_')
    .map((w) => (w === 'ok' ? 'OK' : `${w.charAt(0).toUpperCase()}${w.slice(1)}`))
    .join('');
}

/** What the registry reads at scrape time. */
export interface MetricsSource {
  stats(): StoreStats;
  memory?: (() => MemoryStatus) | undefined;
}

/**
 * The discovery service's counters and its Prometheus registry. Names follow the upstream
 * service so its dashboards work: `discovery_state_*` gauges and go-grpc-prometheus's
 * `grpc_server_*` (labels grpc_service, grpc_method, grpc_type, grpc_code); what upstream lacks
 * is `spanwise_discovery_*`. Labels are RPC names and codes only, never cluster ids.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly totals = new Map<string, number>();
  private readonly started: Counter;
  private readonly handled: Counter;
  private readonly handling: Histogram;
  watchAborted = 0;
  /** Watchers reset because their reader stopped taking data. */
  watchCutOff = 0;
  rateLimited = 0;
  gcAffiliatesRemoved = 0;
  gcAffiliatesUpdated = 0;
  snapshotsWritten = 0;
  snapshotFailures = 0;
  readonly startedAt = Date.now();

  constructor(source: MetricsSource) {
    const registers = [this.registry];
    const state = (name: string, help: string, read: (s: StoreStats) => number) =>
      new Gauge({
        name: `discovery_state_${name}`,
        help,
        registers,
        collect() {
          this.set(read(source.stats()));
        },
      });
    state('clusters', 'Clusters with affiliates or watchers.', (s) => s.clusters);
    state('affiliates', 'Stored affiliates.', (s) => s.affiliates);
    state('endpoints', 'Stored endpoint blobs.', (s) => s.endpoints);
    state('subscriptions', 'Open Watch streams.', (s) => s.watchers);
    this.started = new Counter({ name: 'grpc_server_started_total', help: 'RPCs started on the server.', labelNames: GRPC_LABELS, registers });
    this.handled = new Counter({
      name: 'grpc_server_handled_total',
      help: 'RPCs completed on the server, whatever their status (Watch: when its stream starts or is refused).',
      labelNames: [...GRPC_LABELS, 'grpc_code'],
      registers,
    });
    this.handling = new Histogram({
      name: 'grpc_server_handling_seconds',
      help: 'RPC handling time (Watch: until the stream starts).',
      labelNames: GRPC_LABELS,
      buckets: BUCKETS,
      registers,
    });
    const own = (name: string, help: string, read: () => number, type: 'gauge' | 'counter' = 'gauge') => {
      const config = { name: `${PREFIX}_${name}`, help, registers };
      if (type === 'gauge')
        new Gauge({
          ...config,
          collect() {
            this.set(read());
          },
        });
      else
        new Counter({
          ...config,
          collect() {
            this.reset();
            this.inc(read());
          },
        });
    };
    own('watch_queued_bytes', 'Bytes handed to Watch streams and not yet taken by their readers.', () => source.stats().watchQueuedBytes);
    own('watch_aborted_total', 'Watchers cut off for falling behind.', () => this.watchAborted, 'counter');
    own('watch_cut_off_total', 'Watchers reset because their reader stopped taking data.', () => this.watchCutOff, 'counter');
    own('rate_limited_total', 'Requests refused by the per-network rate limit (IPv6 /64, IPv4 address).', () => this.rateLimited, 'counter');
    own('gc_affiliates_removed_total', 'Affiliates removed because everything in them expired.', () => this.gcAffiliatesRemoved, 'counter');
    own('gc_affiliates_updated_total', 'Affiliates that lost expired data or endpoints.', () => this.gcAffiliatesUpdated, 'counter');
    own('snapshots_total', 'State snapshots written.', () => this.snapshotsWritten, 'counter');
    own('snapshot_failures_total', 'State snapshots that failed.', () => this.snapshotFailures, 'counter');
    if (source.memory) {
      const memory = source.memory;
      own('memory_limit_bytes', 'Resident memory above which new state is refused.', () => memory().limitBytes);
      own('memory_resident_bytes', 'Resident memory at the last reading.', () => memory().rssBytes);
      own('memory_over_limit', 'Whether new state is being refused for memory (1) or not (0).', () => (memory().over ? 1 : 0));
    }
    addProcessMetrics(this.registry, 'discovery');
  }

  /** Records one finished RPC (for Watch: its start); `code` is grpc-js's status name (INVALID_ARGUMENT). */
  rpc(method: string, code: string, seconds: number): void {
    const labels = { grpc_service: SERVICE, grpc_method: method, grpc_type: method === 'Watch' ? 'server_stream' : 'unary' };
    this.started.inc(labels);
    this.handled.inc({ ...labels, grpc_code: goCodeName(code) });
    this.handling.observe(labels, seconds);
    this.totals.set(method, (this.totals.get(method) ?? 0) + 1);
  }

  /** Total RPCs per method (status page). */
  rpcTotals(): Record<string, number> {
    return Object.fromEntries(this.totals);
  }

  /** The Prometheus text exposition. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}

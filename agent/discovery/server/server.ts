import { Server, type ServiceDefinition } from '@grpc/grpc-js';
import type { Server as HttpServer } from 'node:http';
import { VERSION } from '../../shared/version.js';
import { systemClock } from '../../shared/clock.js';
import { formatHostPort, parseHostPort } from './host-port.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { stderrLogger, type Logger } from '../../shared/log.js';
import { MemoryGuard } from './memory-guard.js';
import { Metrics } from './metrics.js';
import { saveState } from './persistence.js';
import { DEFAULT_NEW_CLUSTER_RATE, DEFAULT_RATE_LIMIT, RateLimiter } from './rate-limiter.js';
import type { DiscoveryServerOptions } from './server-options.js';
import { clusterHandlers, RawWatchClusterService } from './service.js';
import { defaultLoadCaps, loadState, type LoadCaps } from './state-loader.js';
import { startStatusServer } from './status-http.js';
import { Store, type StoreStats } from './store.js';
import { reloadingCredentials } from './tls.js';

export type { DiscoveryServerOptions } from './server-options.js';

/** A running discovery server. */
export interface DiscoveryServer {
  /** The bound gRPC address, e.g. "127.0.0.1:41234". */
  readonly address: string;
  readonly port: number;
  /** The bound status/metrics port, when enabled. */
  readonly metricsPort: number | undefined;
  readonly store: Store;
  readonly metrics: Metrics;
  stats(): StoreStats;
  /** Runs garbage collection now (also runs on its timer). */
  gc(): void;
  /** Resets stalled watchers and re-reads memory use now (also runs every second). */
  sweep(): void;
  /** Writes the state file now (no-op without one). */
  snapshot(): Promise<void>;
  /** Stops serving, writes a final snapshot, closes the status server. */
  stop(): Promise<void>;
}

/** How long a watcher may sit on its message while the watchers' queue is over its bound. */
const QUEUE_PRESSURE_STALL_MS = 2000;

function grpcOptions(limits: Limits): Record<string, number> {
  const maxRequest = limits.maxDataBytes + limits.maxEndpointsPerAffiliate * (limits.maxEndpointBytes + 2) + 2 * (limits.maxIdBytes + 3) + 1024;
  return { 'grpc.max_receive_message_length': maxRequest, 'grpc.keepalive_time_ms': 30_000, 'grpc.keepalive_timeout_ms': 10_000 };
}

/** Starts the `sidero.discovery.server.Cluster` service (and the status server when asked). */
export async function startDiscoveryServer(options: DiscoveryServerOptions): Promise<DiscoveryServer> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? stderrLogger(false, 'json');
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const listen = parseHostPort(options.listen, 'listen');
  const metricsListen = options.metricsListen ? parseHostPort(options.metricsListen, 'metrics') : undefined;
  const { credentials, ready } = reloadingCredentials(options.tls);
  const guard = options.maxMemoryBytes ? new MemoryGuard(options.maxMemoryBytes) : undefined;
  const metrics = new Metrics({ stats: () => store.stats(), memory: guard && (() => guard.status()) });
  const fanout = {
    maxWatchLag: options.maxWatchLag ?? 10_000,
    maxMessageBytes: options.maxMessageBytes ?? 1 << 20,
    flushIntervalMs: options.flushIntervalMs ?? 20,
    maxFlushIntervalMs: options.maxFlushIntervalMs ?? 60,
    onAbort: () => (metrics.watchAborted += 1),
  };
  const newClusterRate = options.newClusterRate === undefined ? DEFAULT_NEW_CLUSTER_RATE : options.newClusterRate || undefined;
  const store = new Store(limits, clock, fanout, guard, newClusterRate);
  if (options.stateFile) await loadStateFile(store, options.stateFile, clock.now(), { ...defaultLoadCaps(limits), ...options.stateFileCaps }, logger);
  const rateLimit = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit;
  const limiter = rateLimit ? new RateLimiter(rateLimit, clock) : undefined;
  const grpcServer = new Server(grpcOptions(limits));
  const service = RawWatchClusterService as unknown as ServiceDefinition;
  const maxWatchStallMs = options.maxWatchStallMs ?? 30_000;
  const handlers = clusterHandlers({
    store,
    metrics,
    logger,
    limiter,
    trustProxy: options.trustProxy ?? false,
    redirect: options.redirect,
    abortGraceMs: maxWatchStallMs,
  });
  grpcServer.addService(service, handlers);
  const port = await new Promise<number>((resolve, reject) =>
    grpcServer.bindAsync(formatHostPort(listen), credentials, (error, bound) =>
      error ? reject(new Error(`listen ${options.listen}: ${error.message}`)) : resolve(bound),
    ),
  );
  await ready();
  let status: { server: HttpServer; port: number } | undefined;
  if (metricsListen) {
    try {
      status = await startStatusServer(metricsListen.host, metricsListen.port, {
        stats: () => store.stats(),
        metrics,
        version: VERSION,
        memory: guard && (() => guard.status()),
      });
    } catch (error) {
      grpcServer.forceShutdown();
      throw new Error(`metrics listen ${options.metricsListen}: ${(error as Error).message}`);
    }
  }

  const gc = () => {
    const result = store.gc();
    metrics.gcAffiliatesRemoved += result.affiliatesRemoved;
    metrics.gcAffiliatesUpdated += result.affiliatesUpdated;
    limiter?.sweep();
  };
  const maxQueuedBytes = options.maxWatchQueuedBytes ?? 256 << 20;
  const sweep = () => {
    guard?.sample();
    metrics.watchCutOff += store.cutOffStalled(maxWatchStallMs);
    if (store.queuedBytes > maxQueuedBytes) metrics.watchCutOff += store.cutOffStalled(QUEUE_PRESSURE_STALL_MS);
  };
  let saving: Promise<void> = Promise.resolve();
  const snapshot = (): Promise<void> => {
    const file = options.stateFile;
    if (!file) return Promise.resolve();
    saving = saving.then(() =>
      saveState(store, file, clock.now()).then(
        () => void (metrics.snapshotsWritten += 1),
        (error: Error) => {
          metrics.snapshotFailures += 1;
          logger.error('discovery state snapshot failed', { file, error: error.message });
        },
      ),
    );
    return saving;
  };
  const timers = [setInterval(gc, options.gcIntervalMs ?? 60_000), setInterval(sweep, 1000)];
  if (options.stateFile) timers.push(setInterval(() => void snapshot(), options.snapshotIntervalMs ?? 60_000));
  for (const t of timers) t.unref();

  let stopped: Promise<void> | undefined;
  const host = listen.host === '0.0.0.0' || listen.host === '::' ? '127.0.0.1' : listen.host;
  logger.info('discovery service listening', { address: formatHostPort({ host: listen.host, port }), tls: Boolean(options.tls), metricsPort: status?.port });
  return {
    address: formatHostPort({ host, port }),
    port,
    metricsPort: status?.port,
    store,
    metrics,
    stats: () => store.stats(),
    gc,
    sweep,
    snapshot,
    stop: () => {
      stopped ??= (async () => {
        for (const t of timers) clearInterval(t);
        grpcServer.forceShutdown();
        await snapshot();
        if (status) {
          status.server.closeAllConnections();
          await new Promise<void>((resolve) => status?.server.close(() => resolve()));
        }
      })();
      return stopped;
    },
  };
}

async function loadStateFile(store: Store, file: string, now: number, caps: LoadCaps, logger: Logger): Promise<void> {
  try {
    const loaded = await loadState(store, file, now, caps);
    logger.info('discovery state loaded', { file, clusters: loaded.clusters, affiliates: loaded.affiliates, expired: loaded.expired });
    const { overLimits, memory, invalid, longLines } = loaded.skipped;
    if (overLimits + memory + invalid + longLines > 0) {
      const { maxClusters, maxAffiliates, maxAffiliatesPerCluster } = store.limits;
      logger.warn('discovery state file: entries left out', {
        file,
        ...loaded.skipped,
        maxClusters,
        maxAffiliates,
        maxAffiliatesPerCluster,
        maxLineBytes: caps.maxLineBytes,
      });
    }
  } catch (error) {
    store.clear();
    logger.error('discovery state file unreadable; starting empty', { file, error: (error as Error).message });
  }
}

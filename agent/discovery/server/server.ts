import { Server, type ServiceDefinition } from '@grpc/grpc-js';
import type { Server as HttpServer } from 'node:http';
import { VERSION } from '../../lib/version.js';
import { systemClock, type Clock } from './clock.js';
import { formatHostPort, parseHostPort } from './host-port.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { stderrLogger, type Logger } from './log.js';
import { Metrics } from './metrics.js';
import { loadState, saveState } from './persistence.js';
import { DEFAULT_RATE_LIMIT, RateLimiter, type RateLimit } from './rate-limiter.js';
import { clusterHandlers, RawWatchClusterService } from './service.js';
import { startStatusServer } from './status-http.js';
import { Store, type StoreStats } from './store.js';
import { reloadingCredentials, type TlsFiles } from './tls.js';

/** How to run a discovery server (CLI flags map one to one). */
export interface DiscoveryServerOptions {
  /** gRPC listen address, "host:port"; port 0 picks a free one. */
  listen: string;
  /** Serve TLS with these files (reloaded on change); plaintext h2c without. */
  tls?: TlsFiles;
  /** Snapshot file: loaded at start, written periodically and on stop. */
  stateFile?: string;
  /** Default 60 s. */
  snapshotIntervalMs?: number;
  /** Sent in every Hello as the endpoint clients should move to. */
  redirect?: string;
  /** "host:port" for /metrics, /healthz and the status page. */
  metricsListen?: string;
  /** Honour X-Real-IP / X-Forwarded-For (only behind a proxy you run). */
  trustProxy?: boolean;
  /** Per-client-address limit; default 15/s with burst 60; false disables. */
  rateLimit?: RateLimit | false;
  limits?: Partial<Limits>;
  /** Garbage collection period; default 60 s. */
  gcIntervalMs?: number;
  /** Watchers this many distinct changes behind are cut off with ABORTED; default 10,000. */
  maxWatchLag?: number;
  /** Watch messages are split above this size; default 1 MiB. */
  maxMessageBytes?: number;
  /** Minimum time between two flushes to a cluster's watchers (default 20 ms). */
  flushIntervalMs?: number;
  clock?: Clock;
  logger?: Logger;
}

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
  /** Writes the state file now (no-op without one). */
  snapshot(): Promise<void>;
  /** Stops serving, writes a final snapshot, closes the status server. */
  stop(): Promise<void>;
}

function grpcOptions(limits: Limits): Record<string, number> {
  const maxRequest = limits.maxDataBytes + limits.maxEndpointsPerAffiliate * (limits.maxEndpointBytes + 2) + 2 * (limits.maxIdBytes + 3) + 1024;
  return { 'grpc.max_receive_message_length': maxRequest, 'grpc.keepalive_time_ms': 30_000, 'grpc.keepalive_timeout_ms': 10_000 };
}

/** Starts the `sidero.discovery.server.Cluster` service (and the status server when asked). */
export async function startDiscoveryServer(options: DiscoveryServerOptions): Promise<DiscoveryServer> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? stderrLogger;
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const metrics = new Metrics();
  const listen = parseHostPort(options.listen, 'listen');
  const metricsListen = options.metricsListen ? parseHostPort(options.metricsListen, 'metrics') : undefined;
  const { credentials, ready } = reloadingCredentials(options.tls);
  const store = new Store(limits, clock, {
    maxWatchLag: options.maxWatchLag ?? 10_000,
    maxMessageBytes: options.maxMessageBytes ?? 1 << 20,
    flushIntervalMs: options.flushIntervalMs ?? 20,
    onAbort: () => (metrics.watchAborted += 1),
  });
  if (options.stateFile) {
    try {
      const loaded = await loadState(store, options.stateFile, clock.now());
      logger.info('discovery state loaded', { file: options.stateFile, ...loaded });
    } catch (error) {
      store.clusters.clear();
      logger.error('discovery state file unreadable; starting empty', { file: options.stateFile, error: (error as Error).message });
    }
  }
  const rateLimit = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit;
  const limiter = rateLimit ? new RateLimiter(rateLimit, clock) : undefined;
  const grpcServer = new Server(grpcOptions(limits));
  const service = RawWatchClusterService as unknown as ServiceDefinition;
  grpcServer.addService(service, clusterHandlers({ store, metrics, logger, limiter, trustProxy: options.trustProxy ?? false, redirect: options.redirect }));
  const port = await new Promise<number>((resolve, reject) =>
    grpcServer.bindAsync(formatHostPort(listen), credentials, (error, bound) => (error ? reject(new Error(`listen ${options.listen}: ${error.message}`)) : resolve(bound))),
  );
  await ready();
  let status: { server: HttpServer; port: number } | undefined;
  if (metricsListen) {
    try {
      status = await startStatusServer(metricsListen.host, metricsListen.port, { stats: () => store.stats(), metrics, version: VERSION });
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
  const timers = [setInterval(gc, options.gcIntervalMs ?? 60_000)];
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

import type { Clock } from '../../shared/clock.js';
import type { Limits } from './limits.js';
import type { Logger } from '../../shared/log.js';
import type { RateLimit } from './rate-limiter.js';
import type { LoadCaps } from './state-loader.js';
import type { TlsFiles } from './tls.js';

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
  /** How much of the state file is read at start; default: the most these limits can write. */
  stateFileCaps?: Partial<LoadCaps>;
  /** Sent in every Hello as the endpoint clients should move to. */
  redirect?: string;
  /** "host:port" for /metrics, /healthz and the status page. */
  metricsListen?: string;
  /** Honour X-Real-IP / X-Forwarded-For (only behind a proxy you run). */
  trustProxy?: boolean;
  /** Per-client limit (IPv6 /64, IPv4 address); default 15/s with burst 60; false disables. */
  rateLimit?: RateLimit | false;
  /**
   * Budget for creating clusters, across all clients: new cluster ids past it are
   * refused with RESOURCE_EXHAUSTED and a retry hint, cheaply, so that a flood of
   * them cannot take the CPU the clusters already held need. Clusters read from
   * the state file do not count. Default 100/s with a burst of 1000; false disables.
   */
  newClusterRate?: RateLimit | false;
  limits?: Partial<Limits>;
  /**
   * New clusters, affiliates, endpoints and watchers are refused with
   * RESOURCE_EXHAUSTED while the process's resident memory is over this many bytes.
   * Off by default in the library (an embedding process has its own memory);
   * `discovery serve` defaults to `defaultMemoryLimit()`.
   */
  maxMemoryBytes?: number;
  /** Garbage collection period; default 60 s. */
  gcIntervalMs?: number;
  /** Watchers this many distinct changes behind are cut off with ABORTED; default 10,000. */
  maxWatchLag?: number;
  /** A watcher whose message in flight is not taken for this long is reset (RESOURCE_EXHAUSTED); default 30 s. */
  maxWatchStallMs?: number;
  /** Watch messages are split above this size; a stalled watcher holds (a share of) one at most; default 1 MiB. */
  maxMessageBytes?: number;
  /**
   * When the messages held for stalled readers (each shared buffer counted once)
   * pass this, watchers stalled for 2 s are reset without waiting for
   * `maxWatchStallMs`; default 256 MiB.
   */
  maxWatchQueuedBytes?: number;
  /** Minimum time between two flushes to a cluster's watchers (default 20 ms). */
  flushIntervalMs?: number;
  /** How far the flush interval may widen while the process is busy (default 60 ms). */
  maxFlushIntervalMs?: number;
  clock?: Clock;
  logger?: Logger;
}

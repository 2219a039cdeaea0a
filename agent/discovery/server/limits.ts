import { status } from '@grpc/grpc-js';

/**
 * The bounds a discovery server enforces; tests may shrink them. The first six are
 * the wire contract (KUBESPAN-FACTS.md); the last three are this server's capacity,
 * so that a flood of new cluster ids or streams is refused instead of growing the
 * process until it is killed. Over any count the caller gets RESOURCE_EXHAUSTED.
 */
export interface Limits {
  /** Cluster and affiliate ids: 1..maxIdBytes UTF-8 bytes. */
  maxIdBytes: number;
  maxDataBytes: number;
  maxEndpointBytes: number;
  maxEndpointsPerAffiliate: number;
  maxAffiliatesPerCluster: number;
  maxTtlMs: number;
  /** Clusters held at once (a cluster exists while it has affiliates or watchers). */
  maxClusters: number;
  /** Affiliates across all clusters. */
  maxAffiliates: number;
  /** Open Watch streams across all clusters. */
  maxWatchers: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxIdBytes: 256,
  maxDataBytes: 2048,
  maxEndpointBytes: 32,
  maxEndpointsPerAffiliate: 64,
  maxAffiliatesPerCluster: 1024,
  maxTtlMs: 30 * 60 * 1000,
  maxClusters: 10_000,
  maxAffiliates: 100_000,
  maxWatchers: 20_000,
};

/**
 * A failure with the gRPC status code the caller receives. It reaches the caller
 * as code and text only, so it carries no stack trace: capturing one was the
 * largest single cost of refusing a request, and a flood is mostly refusals.
 */
export class DiscoveryError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'DiscoveryError';
  }
}

export function invalid(message: string): DiscoveryError {
  return new DiscoveryError(status.INVALID_ARGUMENT, message);
}

export function exhausted(message: string): DiscoveryError {
  return new DiscoveryError(status.RESOURCE_EXHAUSTED, message);
}

/** Checks an opaque id (cluster_id or affiliate_id). */
export function checkId(limits: Limits, field: string, id: string): void {
  const bytes = Buffer.byteLength(id, 'utf8');
  if (bytes === 0) throw invalid(`${field} is empty`);
  if (bytes > limits.maxIdBytes) throw invalid(`${field} is ${bytes} bytes (max ${limits.maxIdBytes})`);
}

/** Checks and converts the ttl Duration to milliseconds. */
export function checkTtl(limits: Limits, ttl: { seconds: number; nanos: number } | undefined): number {
  if (!ttl) throw invalid('ttl is required');
  const ms = ttl.seconds * 1000 + Math.floor(ttl.nanos / 1e6);
  if (!Number.isFinite(ms) || ms <= 0) throw invalid('ttl must be positive');
  if (ms > limits.maxTtlMs) throw invalid(`ttl is ${ms / 1000}s (max ${limits.maxTtlMs / 1000}s)`);
  return ms;
}

/** Checks data and endpoint blob sizes of one update. */
export function checkBlobs(limits: Limits, data: Buffer | undefined, endpoints: Buffer[]): void {
  if (data && data.length > limits.maxDataBytes) throw invalid(`affiliate_data is ${data.length} bytes (max ${limits.maxDataBytes})`);
  endpoints.forEach((e, i) => {
    if (e.length === 0) throw invalid(`affiliate_endpoints[${i}] is empty`);
    if (e.length > limits.maxEndpointBytes) throw invalid(`affiliate_endpoints[${i}] is ${e.length} bytes (max ${limits.maxEndpointBytes})`);
  });
  if (endpoints.length > limits.maxEndpointsPerAffiliate) {
    throw exhausted(`${endpoints.length} endpoints in one update (max ${limits.maxEndpointsPerAffiliate} per affiliate)`);
  }
}

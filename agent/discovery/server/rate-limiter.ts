import type { Clock } from '../../shared/clock.js';

/** Token bucket settings: sustained requests per second and burst size. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** Upstream's per-client-address defaults. */
export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 15, burst: 60 };

/** Clusters created per second across all clients (see `newClusterRate`). */
export const DEFAULT_NEW_CLUSTER_RATE: RateLimit = { perSecond: 100, burst: 1000 };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * One token bucket per client address. Full buckets are forgotten by `sweep`,
 * so memory follows the number of recently active addresses.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: Clock,
  ) {}

  /** Takes one token for `key`; false when the caller is over its rate. */
  take(key: string): boolean {
    const now = this.clock.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Forgets addresses whose bucket has refilled. */
  sweep(): void {
    const now = this.clock.now();
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond >= this.limit.burst) this.buckets.delete(key);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}

import type { Affiliate } from '../../../proto/gen/sidero/discovery/server/cluster.js';
import { AffiliateRecord } from './affiliate-record.js';
import { distinct } from './endpoint-set.js';
import type { Clock } from '../../shared/clock.js';
import { exhausted, type Limits } from './limits.js';
import { WatchFanout, type FanoutOptions, type Totals } from './watch-fanout.js';
import type { Watcher, WatchSink } from './watcher.js';

export type { FanoutOptions } from './watch-fanout.js';

/** What one expiry pass removed. */
export interface ExpiryResult {
  affiliatesRemoved: number;
  affiliatesUpdated: number;
}

const NO_WATCHERS: ReadonlySet<Watcher> = new Set();

/** One cluster: its affiliates and, while anyone watches, the fan-out to its watchers. */
export class ClusterState {
  readonly affiliates = new Map<string, AffiliateRecord>();
  private fanout: WatchFanout | undefined;
  /** No affiliate expires before this, so expiry passes before it are skipped. */
  private earliest = Number.POSITIVE_INFINITY;

  constructor(
    readonly id: string,
    private readonly limits: Limits,
    private readonly fanoutOptions: FanoutOptions,
    private readonly clock: Clock,
    private readonly totals: Totals,
  ) {}

  get watchers(): ReadonlySet<Watcher> {
    return this.fanout?.watchers ?? NO_WATCHERS;
  }

  /** Applies an AffiliateUpdate (already validated for sizes); throws RESOURCE_EXHAUSTED over the counts. */
  update(affiliateId: string, data: Buffer | undefined, endpoints: Buffer[], expiresAt: number, now: number): void {
    let record = this.affiliates.get(affiliateId);
    if (!record && !data && endpoints.length === 0) return;
    if (!record && this.affiliates.size >= this.limits.maxAffiliatesPerCluster) {
      this.expire(now);
      if (this.affiliates.size >= this.limits.maxAffiliatesPerCluster) {
        throw exhausted(`cluster has ${this.affiliates.size} affiliates (max ${this.limits.maxAffiliatesPerCluster})`);
      }
    }
    const fresh = record ?? new AffiliateRecord(affiliateId);
    const blobs = distinct(endpoints);
    const count = fresh.endpointCountAfter(blobs, now);
    if (count > this.limits.maxEndpointsPerAffiliate) {
      throw exhausted(`affiliate would have ${count} endpoints (max ${this.limits.maxEndpointsPerAffiliate})`);
    }
    if (!record) {
      record = fresh;
      this.add(record);
    }
    const expired = record.expire(now);
    const changed = record.apply(data, blobs, expiresAt);
    this.earliest = Math.min(this.earliest, record.earliestExpiry());
    if (record.isEmpty()) this.remove(record.id);
    else if (expired || changed) this.fanout?.changed(record.id);
  }

  /** Adds a record restored from the state file (limits checked by the caller). */
  restore(record: AffiliateRecord): void {
    if (this.affiliates.has(record.id)) return;
    this.add(record);
    this.earliest = Math.min(this.earliest, record.earliestExpiry());
    this.fanout?.changed(record.id);
  }

  /** Removes an affiliate; unknown ids are a no-op. */
  delete(affiliateId: string): void {
    if (this.affiliates.has(affiliateId)) this.remove(affiliateId);
  }

  /** Drops expired data and endpoints; affiliates left empty are deleted. */
  expire(now: number): ExpiryResult {
    const result: ExpiryResult = { affiliatesRemoved: 0, affiliatesUpdated: 0 };
    if (now < this.earliest) return result;
    this.earliest = Number.POSITIVE_INFINITY;
    for (const record of this.affiliates.values()) {
      const expired = record.expire(now);
      if (!record.isEmpty()) this.earliest = Math.min(this.earliest, record.earliestExpiry());
      if (!expired) continue;
      if (record.isEmpty()) {
        this.remove(record.id);
        result.affiliatesRemoved += 1;
      } else {
        this.fanout?.changed(record.id);
        result.affiliatesUpdated += 1;
      }
    }
    return result;
  }

  list(now: number): Affiliate[] {
    this.expire(now);
    return [...this.affiliates.values()].map((r) => r.toProto());
  }

  /** Starts a watcher: the first message is the whole current state, even when empty. */
  watch(sink: WatchSink, now: number): Watcher {
    this.expire(now);
    this.fanout ??= new WatchFanout(this.affiliates, this.fanoutOptions, this.clock, this.totals);
    return this.fanout.watch(sink);
  }

  unwatch(watcher: Watcher): void {
    this.fanout?.unwatch(watcher);
    if (this.fanout?.watchers.size === 0) this.fanout = undefined;
  }

  /** Resets watchers whose message in flight has not been taken for `maxStallMs`; returns how many. */
  cutOffStalled(now: number, maxStallMs: number): number {
    const count = this.fanout?.cutOffStalled(now, maxStallMs) ?? 0;
    if (this.fanout?.watchers.size === 0) this.fanout = undefined;
    return count;
  }

  isIdle(): boolean {
    return this.affiliates.size === 0 && this.watchers.size === 0;
  }

  private add(record: AffiliateRecord): void {
    this.affiliates.set(record.id, record);
    this.totals.affiliates += 1;
  }

  private remove(id: string): void {
    if (this.affiliates.delete(id)) this.totals.affiliates -= 1;
    this.fanout?.changed(id);
  }
}

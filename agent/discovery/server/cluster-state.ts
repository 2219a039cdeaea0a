import type { Affiliate } from '../../../proto/gen/sidero/discovery/server/cluster.js';
import { AffiliateRecord } from './affiliate-record.js';
import { ChangeLog } from './change-log.js';
import { exhausted, type Limits } from './limits.js';
import { deletedEntry, packMessages } from './watch-encoding.js';
import { Watcher, type WatchSink } from './watcher.js';

/** How changes fan out to watchers. */
export interface FanoutOptions {
  /** A watcher this many distinct affiliate changes behind is cut off with ABORTED (bounds the change log). */
  maxWatchLag: number;
  /** WatchResponse messages are split to stay under this size. */
  maxMessageBytes: number;
  /**
   * Flushes to watchers are at least this far apart (the first change after a
   * quiet spell goes out at once): under a stream of updates, every watcher gets
   * one message per window instead of one per update.
   */
  flushIntervalMs: number;
  /** Called when a slow watcher is cut off (metrics). */
  onAbort?: () => void;
}

/** What one expiry pass removed. */
export interface ExpiryResult {
  affiliatesRemoved: number;
  affiliatesUpdated: number;
}

/** One cluster: its affiliates, its watchers and the change log between them. */
export class ClusterState {
  readonly affiliates = new Map<string, AffiliateRecord>();
  readonly watchers = new Set<Watcher>();
  private readonly log = new ChangeLog();
  private flushScheduled = false;
  private lastFlushAt = 0;

  constructor(
    readonly id: string,
    private readonly limits: Limits,
    private readonly fanout: FanoutOptions,
  ) {}

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
    const count = fresh.endpointCountAfter(endpoints, now);
    if (count > this.limits.maxEndpointsPerAffiliate) {
      throw exhausted(`affiliate would have ${count} endpoints (max ${this.limits.maxEndpointsPerAffiliate})`);
    }
    if (!record) {
      record = fresh;
      this.affiliates.set(affiliateId, record);
    }
    const expired = record.expire(now);
    const changed = record.apply(data, endpoints, expiresAt);
    if (record.isEmpty()) this.remove(record.id);
    else if (expired || changed) this.changed(record.id);
  }

  /** Removes an affiliate; unknown ids are a no-op. */
  delete(affiliateId: string): void {
    if (this.affiliates.has(affiliateId)) this.remove(affiliateId);
  }

  /** Drops expired data and endpoints; affiliates left empty are deleted. */
  expire(now: number): ExpiryResult {
    const result: ExpiryResult = { affiliatesRemoved: 0, affiliatesUpdated: 0 };
    for (const record of this.affiliates.values()) {
      if (!record.expire(now)) continue;
      if (record.isEmpty()) {
        this.remove(record.id);
        result.affiliatesRemoved += 1;
      } else {
        this.changed(record.id);
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
    const watcher = new Watcher(sink, this.log.head);
    const entries = [...this.affiliates.values()].map((r) => r.watchEntry());
    const messages = entries.length ? packMessages(entries, false, this.fanout.maxMessageBytes) : [Buffer.alloc(0)];
    this.watchers.add(watcher);
    this.send(watcher, messages);
    return watcher;
  }

  unwatch(watcher: Watcher): void {
    watcher.closed = true;
    this.watchers.delete(watcher);
  }

  isIdle(): boolean {
    return this.affiliates.size === 0 && this.watchers.size === 0;
  }

  private remove(id: string): void {
    this.affiliates.delete(id);
    this.changed(id);
  }

  private changed(id: string): void {
    this.log.append(id, this.watchers.size > 0);
    if (this.watchers.size > 0) this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const wait = this.lastFlushAt + this.fanout.flushIntervalMs - performance.now();
    if (wait > 0) setTimeout(() => this.flush(), wait);
    else setImmediate(() => this.flush());
  }

  /** Sends every idle watcher what changed since its cursor; cuts off watchers too far behind. */
  private flush(): void {
    this.flushScheduled = false;
    this.lastFlushAt = performance.now();
    const head = this.log.head;
    const built = new Map<number, Buffer[]>();
    let slowest = head;
    for (const watcher of this.watchers) {
      if (watcher.cursor < head && watcher.inflight === 0) {
        let messages = built.get(watcher.cursor);
        if (!messages) {
          messages = this.build(watcher.cursor);
          built.set(watcher.cursor, messages);
        }
        watcher.cursor = head;
        this.send(watcher, messages);
      } else if (watcher.cursor < head && this.log.lag(watcher.cursor) > this.fanout.maxWatchLag) {
        this.unwatch(watcher);
        this.fanout.onAbort?.();
        watcher.sink.abort(`watcher is ${this.log.lag(watcher.cursor)} changes behind; reconnect for a fresh snapshot`);
        continue;
      }
      slowest = Math.min(slowest, watcher.cursor);
    }
    this.log.trim(slowest);
  }

  private build(cursor: number): Buffer[] {
    const upserts: Buffer[] = [];
    const deleted: Buffer[] = [];
    for (const id of this.log.changedSince(cursor)) {
      const record = this.affiliates.get(id);
      if (record) upserts.push(record.watchEntry());
      else deleted.push(deletedEntry(id));
    }
    return [...packMessages(upserts, false, this.fanout.maxMessageBytes), ...packMessages(deleted, true, this.fanout.maxMessageBytes)];
  }

  private send(watcher: Watcher, messages: Buffer[]): void {
    watcher.inflight += messages.length;
    for (const message of messages) {
      watcher.sink.write(message, () => {
        watcher.inflight -= 1;
        if (watcher.inflight === 0 && !watcher.closed && watcher.cursor < this.log.head) this.scheduleFlush();
      });
    }
  }
}

import type { AffiliateRecord } from './affiliate-record.js';
import { ChangeLog } from './change-log.js';
import type { Clock } from '../../shared/clock.js';
import type { InFlight } from './in-flight.js';
import { WatchBatch, type BatchSource } from './watch-batch.js';
import { Watcher, type WatchSink } from './watcher.js';

/** Flushes are at least this many times their own duration apart (see `maxFlushIntervalMs`). */
const FLUSH_SPACING = 8;

/** How changes fan out to watchers. */
export interface FanoutOptions {
  /** A watcher this many distinct affiliate changes behind is cut off with ABORTED (bounds the change log). */
  maxWatchLag: number;
  /** WatchResponse messages are split to stay under this size; a stalled watcher holds one (shared) at most. */
  maxMessageBytes: number;
  /**
   * Flushes to watchers are at least this far apart (the first change after a
   * quiet spell goes out at once): under a stream of updates, every watcher gets
   * one message per window instead of one per update.
   */
  flushIntervalMs: number;
  /**
   * The window widens, up to this, to `FLUSH_SPACING` times the last flush's own
   * time, so fan-out to many watchers (each a write and, on its own connection, a
   * syscall) takes a bounded share of the process and carries more updates per
   * message, while a cluster with few watchers keeps the short window.
   */
  maxFlushIntervalMs: number;
  /** Called when a watcher is cut off for falling behind (metrics). */
  onAbort?: () => void;
}

/** Counts kept across all clusters of a store. */
export interface Totals {
  affiliates: number;
  watchers: number;
  inFlight: InFlight;
}

/**
 * The watchers of one cluster and the change log between them and the affiliates.
 * Every watcher starts with the shared snapshot batch of the current version, then
 * gets one shared batch per flush window with what changed since its cursor.
 */
export class WatchFanout implements BatchSource {
  readonly watchers = new Set<Watcher>();
  private readonly log = new ChangeLog();
  private snapshot: WatchBatch | undefined;
  private readonly inUse = new Set<WatchBatch>();
  private flushScheduled = false;
  private lastFlushAt = 0;
  private gapMs: number;

  constructor(
    readonly affiliates: ReadonlyMap<string, AffiliateRecord>,
    private readonly options: FanoutOptions,
    private readonly clock: Clock,
    private readonly totals: Totals,
  ) {
    this.gapMs = options.flushIntervalMs;
  }

  get version(): number {
    return this.log.head;
  }

  /** Records that `id` changed (updated, expired or deleted). */
  changed(id: string): void {
    const watching = this.watchers.size > 0;
    this.log.append(id, watching);
    this.snapshot = undefined;
    for (const batch of this.inUse) batch.release();
    if (watching) this.scheduleFlush();
  }

  /** Starts a watcher on the current snapshot (sent even when empty). */
  watch(sink: WatchSink): Watcher {
    const watcher = new Watcher(sink, this.log.head);
    this.snapshot ??= new WatchBatch([...this.affiliates.keys()], true, this.options.maxMessageBytes);
    this.watchers.add(watcher);
    this.totals.watchers += 1;
    this.start(watcher, this.snapshot);
    return watcher;
  }

  unwatch(watcher: Watcher): void {
    watcher.closed = true;
    if (this.watchers.delete(watcher)) this.totals.watchers -= 1;
    if (watcher.inFlight) this.totals.inFlight.release(watcher.inFlight);
    watcher.inFlight = undefined;
    this.leave(watcher);
    this.unreserve(watcher);
  }

  /** Resets watchers whose message in flight has not been taken for `maxStallMs`; returns how many. */
  cutOffStalled(now: number, maxStallMs: number): number {
    let count = 0;
    for (const watcher of this.watchers) {
      if (!watcher.busy || now - watcher.queuedSince < maxStallMs) continue;
      this.unwatch(watcher);
      watcher.sink.cutOff(`watcher read nothing for ${Math.round((now - watcher.queuedSince) / 1000)} s`);
      count += 1;
    }
    return count;
  }

  private start(watcher: Watcher, batch: WatchBatch): void {
    watcher.batch = batch;
    watcher.offset = 0;
    batch.users += 1;
    this.inUse.add(batch);
    this.pump(watcher);
  }

  private leave(watcher: Watcher): void {
    const batch = watcher.batch;
    if (!batch) return;
    watcher.batch = undefined;
    this.drop(batch);
  }

  /** One user fewer; a batch nobody sends from any more lets its bytes go. */
  private drop(batch: WatchBatch): void {
    batch.users -= 1;
    if (batch.users === 0) {
      batch.release();
      this.inUse.delete(batch);
    }
  }

  /** Hands the watcher its next message when it has none in flight. */
  private pump(watcher: Watcher): void {
    if (watcher.closed || watcher.busy || !watcher.batch) return;
    const message = watcher.batch.message(watcher.offset, this);
    if (!message) {
      this.leave(watcher);
      const next = watcher.next;
      if (next) this.catchUp(watcher, next);
      else if (watcher.cursor < this.log.head) this.scheduleFlush();
      return;
    }
    const bytes = message.bytes;
    watcher.offset = message.next;
    watcher.inFlight = bytes;
    watcher.queuedSince = this.clock.now();
    this.totals.inFlight.hold(bytes);
    watcher.sink.write(bytes, () => {
      if (watcher.inFlight !== bytes) return;
      this.totals.inFlight.release(bytes);
      watcher.inFlight = undefined;
      this.pump(watcher);
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const wait = this.lastFlushAt + this.gapMs - performance.now();
    if (wait > 0) setTimeout(() => this.flush(), wait);
    else setImmediate(() => this.flush());
  }

  /**
   * Starts every idle watcher on what changed since its cursor and reserves the
   * same shared batch for each watcher still sending (see `catchUp`); cuts off
   * watchers too far behind.
   */
  private flush(): void {
    this.flushScheduled = false;
    this.lastFlushAt = performance.now();
    const head = this.log.head;
    const built = new Map<number, WatchBatch>();
    const batchFrom = (cursor: number) => {
      let batch = built.get(cursor);
      if (!batch) {
        batch = this.changesSince(cursor);
        built.set(cursor, batch);
        batch.users += 1;
      }
      return batch;
    };
    let slowest = head;
    for (const watcher of this.watchers) {
      if (watcher.cursor < head && !watcher.batch) {
        const batch = batchFrom(watcher.cursor);
        watcher.cursor = head;
        this.start(watcher, batch);
      } else if (watcher.cursor < head && this.log.lag(watcher.cursor) > this.options.maxWatchLag) {
        const lag = this.log.lag(watcher.cursor);
        this.unwatch(watcher);
        this.options.onAbort?.();
        watcher.sink.abort(`watcher is ${lag} changes behind; reconnect for a fresh snapshot`);
        continue;
      } else if (watcher.cursor < head) {
        this.reserve(watcher, batchFrom(watcher.cursor), head);
      }
      slowest = Math.min(slowest, watcher.cursor);
    }
    for (const batch of built.values()) this.drop(batch);
    this.log.trim(slowest);
    const took = performance.now() - this.lastFlushAt;
    this.gapMs = Math.min(this.options.maxFlushIntervalMs, Math.max(this.options.flushIntervalMs, took * FLUSH_SPACING));
  }

  /** Holds `batch` (and its packed bytes) for a watcher still sending, replacing what an earlier flush reserved for it. */
  private reserve(watcher: Watcher, batch: WatchBatch, head: number): void {
    this.unreserve(watcher);
    watcher.next = { batch, head };
    batch.users += 1;
    this.inUse.add(batch);
  }

  private unreserve(watcher: Watcher): void {
    const next = watcher.next;
    if (!next) return;
    watcher.next = undefined;
    this.drop(next.batch);
  }

  /**
   * A watcher whose write was still pending at the last flush starts on the batch
   * that flush reserved for it as soon as the write completes, sharing the packed
   * bytes with the watchers that were on time, instead of waiting a whole window.
   */
  private catchUp(watcher: Watcher, next: { batch: WatchBatch; head: number }): void {
    watcher.next = undefined;
    watcher.cursor = next.head;
    this.start(watcher, next.batch);
    this.drop(next.batch);
  }

  /** Changed ids since `cursor`: those still present first, then the deleted ones. */
  private changesSince(cursor: number): WatchBatch {
    const ids = this.log.changedSince(cursor);
    const present = ids.filter((id) => this.affiliates.has(id));
    const gone = ids.filter((id) => !this.affiliates.has(id));
    return new WatchBatch([...present, ...gone], false, this.options.maxMessageBytes);
  }
}

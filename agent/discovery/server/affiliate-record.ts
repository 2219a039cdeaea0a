import { Affiliate } from '../../../proto/gen/sidero/discovery/server/cluster.js';
import { EndpointSet, ownCopy, type StoredEndpoint } from './endpoint-set.js';
import { encodeEntry } from './watch-encoding.js';

export type { StoredEndpoint } from './endpoint-set.js';

/**
 * One affiliate as the server keeps it: opaque data with its own expiry, and
 * endpoint blobs merged by exact bytes, each with its own expiry. The affiliate
 * exists while its data or any endpoint is alive.
 */
export class AffiliateRecord {
  data: Buffer | undefined;
  dataExpiresAt = 0;
  private readonly blobs = new EndpointSet();
  private entry: Buffer | undefined;

  constructor(readonly id: string) {}

  get endpointCount(): number {
    return this.blobs.size;
  }

  /** The stored endpoints, in publish order. */
  endpoints(): StoredEndpoint[] {
    return this.blobs.entries();
  }

  /** Number of endpoints that merging `blobs` (without repeats) would leave (expired ones excluded). */
  endpointCountAfter(blobs: Buffer[], now: number): number {
    let count = this.blobs.liveCount(now);
    for (const b of blobs) {
      const i = this.blobs.indexOf(b);
      if (i < 0 || this.blobs.expiresAt(i) <= now) count += 1;
    }
    return count;
  }

  /** Whether merging `blobs` would store a blob not stored yet. */
  addsEndpoints(blobs: Buffer[]): boolean {
    return blobs.some((b) => this.blobs.indexOf(b) < 0);
  }

  /** Applies one update (`blobs` without repeats, see `distinct`); returns whether watchers must hear about it. */
  apply(data: Buffer | undefined, blobs: Buffer[], expiresAt: number): boolean {
    let changed = false;
    if (data) {
      changed = !this.data || !this.data.equals(data);
      this.data = changed ? ownCopy([data]) : this.data;
      this.dataExpiresAt = expiresAt;
    }
    if (this.blobs.merge(blobs, expiresAt)) changed = true;
    if (changed) this.entry = undefined;
    return changed;
  }

  /** Nothing in the record expires before this (possibly earlier than the truth, never later). */
  earliestExpiry(): number {
    return Math.min(this.data ? this.dataExpiresAt : Number.POSITIVE_INFINITY, this.blobs.earliest);
  }

  /** Drops what expired at `now`; returns whether anything went. */
  expire(now: number): boolean {
    if (now < this.earliestExpiry()) return false;
    let changed = false;
    if (this.data && this.dataExpiresAt <= now) {
      this.data = undefined;
      changed = true;
    }
    if (this.blobs.expire(now)) changed = true;
    if (changed) this.entry = undefined;
    return changed;
  }

  isEmpty(): boolean {
    return this.data === undefined && this.blobs.size === 0;
  }

  toProto(): Affiliate {
    return { id: this.id, data: this.data ?? Buffer.alloc(0), endpoints: this.blobs.blobs() };
  }

  /** The record encoded as one `affiliates` entry of a WatchResponse (cached until it changes). */
  watchEntry(): Buffer {
    this.entry ??= encodeEntry(Affiliate.encode(this.toProto()).finish());
    return this.entry;
  }
}

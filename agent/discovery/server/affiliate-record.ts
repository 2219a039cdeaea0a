import { Affiliate } from '../../../proto/gen/sidero/discovery/server/cluster.js';
import { encodeEntry } from './watch-encoding.js';

/** One stored endpoint blob with its own expiry. */
export interface StoredEndpoint {
  blob: Buffer;
  expiresAt: number;
}

/**
 * One affiliate as the server keeps it: opaque data with its own expiry, and
 * endpoint blobs merged by exact bytes, each with its own expiry. The affiliate
 * exists while its data or any endpoint is alive.
 */
export class AffiliateRecord {
  data: Buffer | undefined;
  dataExpiresAt = 0;
  /** Keyed by the blob's exact bytes (latin1 text); insertion order is publish order. */
  readonly endpoints = new Map<string, StoredEndpoint>();
  private entry: Buffer | undefined;

  constructor(readonly id: string) {}

  /** Number of endpoints that merging `blobs` would leave (expired ones excluded). */
  endpointCountAfter(blobs: Buffer[], now: number): number {
    let count = 0;
    for (const e of this.endpoints.values()) if (e.expiresAt > now) count += 1;
    const added = new Set<string>();
    for (const b of blobs) {
      const k = b.toString('latin1');
      const existing = this.endpoints.get(k);
      if ((!existing || existing.expiresAt <= now) && !added.has(k)) added.add(k);
    }
    return count + added.size;
  }

  /** Applies one update; returns whether watchers must hear about it. */
  apply(data: Buffer | undefined, blobs: Buffer[], expiresAt: number): boolean {
    let changed = false;
    if (data) {
      changed = !this.data || !this.data.equals(data);
      this.data = changed ? Buffer.from(data) : this.data;
      this.dataExpiresAt = expiresAt;
    }
    for (const blob of blobs) {
      const k = blob.toString('latin1');
      const existing = this.endpoints.get(k);
      if (existing) existing.expiresAt = Math.max(existing.expiresAt, expiresAt);
      else {
        this.endpoints.set(k, { blob: Buffer.from(blob), expiresAt });
        changed = true;
      }
    }
    if (changed) this.entry = undefined;
    return changed;
  }

  /** Drops what expired at `now`; returns whether anything went. */
  expire(now: number): boolean {
    let changed = false;
    if (this.data && this.dataExpiresAt <= now) {
      this.data = undefined;
      changed = true;
    }
    for (const [k, e] of this.endpoints) {
      if (e.expiresAt <= now) {
        this.endpoints.delete(k);
        changed = true;
      }
    }
    if (changed) this.entry = undefined;
    return changed;
  }

  isEmpty(): boolean {
    return this.data === undefined && this.endpoints.size === 0;
  }

  /** The latest expiry of anything in the record. */
  expiresAt(): number {
    let latest = this.data ? this.dataExpiresAt : 0;
    for (const e of this.endpoints.values()) latest = Math.max(latest, e.expiresAt);
    return latest;
  }

  toProto(): Affiliate {
    return { id: this.id, data: this.data ?? Buffer.alloc(0), endpoints: [...this.endpoints.values()].map((e) => e.blob) };
  }

  /** The record encoded as one `affiliates` entry of a WatchResponse (cached until it changes). */
  watchEntry(): Buffer {
    this.entry ??= encodeEntry(Affiliate.encode(this.toProto()).finish());
    return this.entry;
  }
}

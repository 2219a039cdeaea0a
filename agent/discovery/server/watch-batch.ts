import type { AffiliateRecord } from './affiliate-record.js';
import { deletedEntry, packMessage } from './watch-encoding.js';

/** One packed WatchResponse and the batch offset right after it. */
export interface PackedMessage {
  bytes: Buffer;
  next: number;
}

/** The cluster state a batch is packed from. */
export interface BatchSource {
  readonly affiliates: ReadonlyMap<string, AffiliateRecord>;
  /** Moves on every change; packed bytes are shared only within one version. */
  readonly version: number;
}

/**
 * Affiliate ids to send to watchers: a snapshot (every id at one version; ids gone
 * since are skipped, the change log reports them) or the ids changed since a
 * cursor (ids gone are sent as `deleted`). A message is packed from the current
 * records only when a watcher is ready for it, so what waits for a slow watcher is
 * a list of ids, never bytes; watchers at the same offset and version share the
 * packed message, so it is encoded once however many streams it goes to.
 */
export class WatchBatch {
  /** Watchers currently sending from this batch. */
  users = 0;
  private readonly packed = new Map<number, PackedMessage>();
  private packedVersion = -1;

  constructor(
    readonly ids: readonly string[],
    readonly snapshot: boolean,
    private readonly maxBytes: number,
  ) {}

  /** The message at `offset`, or undefined past the end (a snapshot always has a first one, even empty). */
  message(offset: number, source: BatchSource): PackedMessage | undefined {
    if (this.packedVersion !== source.version) {
      this.packed.clear();
      this.packedVersion = source.version;
    }
    let message = this.packed.get(offset);
    if (!message) {
      message = this.pack(offset, source);
      if (message) this.packed.set(offset, message);
    }
    return message;
  }

  /** Drops the shared bytes (the cluster changed, or no watcher sends from here any more). */
  release(): void {
    this.packed.clear();
  }

  private pack(offset: number, source: BatchSource): PackedMessage | undefined {
    const entries: Buffer[] = [];
    let size = 0;
    let deleted = false;
    let i = offset;
    for (; i < this.ids.length; i += 1) {
      const id = this.ids[i] as string;
      const record = source.affiliates.get(id);
      if (!record && this.snapshot) continue;
      const entry = record ? record.watchEntry() : deletedEntry(id);
      if (entries.length > 0 && (deleted !== !record || size + entry.length > this.maxBytes)) break;
      deleted = !record;
      entries.push(entry);
      size += entry.length;
    }
    if (entries.length === 0 && !(this.snapshot && offset === 0)) return undefined;
    return { bytes: packMessage(entries, deleted), next: Math.max(i, offset + 1) };
  }
}

/** One stored endpoint blob with its own expiry. */
export interface StoredEndpoint {
  blob: Buffer;
  expiresAt: number;
}

/** A copy in memory of its own: a slice of Node's shared pool would keep the whole 8 KiB slab (and the request garbage in it) alive. */
export function ownCopy(parts: Buffer[]): Buffer {
  let length = 0;
  for (const p of parts) length += p.length;
  const copy = Buffer.allocUnsafeSlow(length);
  let at = 0;
  for (const p of parts) at += p.copy(copy, at);
  return copy;
}

/** `blobs` without repeats (first occurrence kept). */
export function distinct(blobs: Buffer[]): Buffer[] {
  if (blobs.length < 2) return blobs;
  const seen = new Set<string>();
  return blobs.filter((b) => {
    const key = b.toString('latin1');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const HEAD = 10;

/**
 * The endpoint blobs of one affiliate, matched by exact bytes, in publish order,
 * each with its own expiry. Everything lives in one buffer outside the JS heap
 * (per blob: expiry as float64, length as uint16, the bytes), so a full affiliate
 * costs its bytes plus one object, and a flood of them does not grow the heap.
 * Blob bytes are never written in place (the buffer is replaced), so views of
 * them stay valid.
 */
export class EndpointSet {
  private packed: Buffer = Buffer.alloc(0);
  private count = 0;
  /** No blob expires before this (it may be earlier than the true first expiry, never later). */
  earliest = Number.POSITIVE_INFINITY;

  get size(): number {
    return this.count;
  }

  /** Position (an opaque offset) of `blob`, or -1. */
  indexOf(blob: Buffer): number {
    const first = blob[0];
    for (let at = 0; at < this.packed.length; at = this.next(at)) {
      const start = at + HEAD;
      if (this.packed.readUInt16LE(at + 8) !== blob.length || this.packed[start] !== first) continue;
      if (this.packed.compare(blob, 0, blob.length, start, start + blob.length) === 0) return at;
    }
    return -1;
  }

  expiresAt(position: number): number {
    return this.packed.readDoubleLE(position);
  }

  /** How many blobs are alive after `now`. */
  liveCount(now: number): number {
    let live = 0;
    for (let at = 0; at < this.packed.length; at = this.next(at)) if (this.expiresAt(at) > now) live += 1;
    return live;
  }

  /** Merges blobs (without repeats): known ones get the later expiry, new ones are appended; returns whether any was new. */
  merge(blobs: Buffer[], expiresAt: number): boolean {
    const added: Buffer[] = [];
    for (const blob of blobs) {
      const at = this.indexOf(blob);
      if (at >= 0) this.packed.writeDoubleLE(Math.max(this.expiresAt(at), expiresAt), at);
      else added.push(header(blob, expiresAt), blob);
    }
    if (added.length === 0) return false;
    this.earliest = Math.min(this.earliest, expiresAt);
    this.packed = ownCopy([this.packed, ...added]);
    this.count += added.length / 2;
    return true;
  }

  /** Drops blobs expired at `now`; returns whether any went. */
  expire(now: number): boolean {
    if (now < this.earliest) return false;
    const kept: Buffer[] = [];
    this.earliest = Number.POSITIVE_INFINITY;
    for (let at = 0; at < this.packed.length; at = this.next(at)) {
      const expiresAt = this.expiresAt(at);
      if (expiresAt <= now) continue;
      kept.push(this.packed.subarray(at, this.next(at)));
      this.earliest = Math.min(this.earliest, expiresAt);
    }
    if (kept.length === this.count) return false;
    this.packed = ownCopy(kept);
    this.count = kept.length;
    return true;
  }

  entries(): StoredEndpoint[] {
    const out: StoredEndpoint[] = [];
    for (let at = 0; at < this.packed.length; at = this.next(at))
      out.push({ blob: this.packed.subarray(at + HEAD, this.next(at)), expiresAt: this.expiresAt(at) });
    return out;
  }

  /** The blobs in publish order (views that stay valid). */
  blobs(): Buffer[] {
    return this.entries().map((e) => e.blob);
  }

  private next(at: number): number {
    return at + HEAD + this.packed.readUInt16LE(at + 8);
  }
}

function header(blob: Buffer, expiresAt: number): Buffer {
  const head = Buffer.alloc(HEAD);
  head.writeDoubleLE(expiresAt, 0);
  head.writeUInt16LE(blob.length, 8);
  return head;
}

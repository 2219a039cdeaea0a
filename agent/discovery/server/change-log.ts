/**
 * The ids changed in one cluster, each entry numbered by sequence. Watchers keep a
 * cursor (a sequence number); entries every watcher has passed are dropped, and
 * older duplicates of an id are compacted away (a watcher only needs the latest
 * change of each id), so the log stays about as long as the cluster is large.
 */
export class ChangeLog {
  private ids: string[] = [];
  private seqs: number[] = [];
  private next = 0;
  private compactAt = 1024;

  /** The sequence number the next change gets; a watcher at `head` is up to date. */
  get head(): number {
    return this.next;
  }

  get length(): number {
    return this.ids.length;
  }

  /** Records a change; `keep` is false when nobody watches (nothing stored). */
  append(id: string, keep: boolean): void {
    if (keep) {
      this.ids.push(id);
      this.seqs.push(this.next);
      if (this.ids.length > this.compactAt) this.compact();
    } else if (this.ids.length) {
      this.ids = [];
      this.seqs = [];
    }
    this.next += 1;
  }

  /** Ids changed at or after `cursor`, newest first, each once. */
  changedSince(cursor: number): string[] {
    const seen = new Set<string>();
    const out: string[] = [];
    for (let i = this.ids.length - 1; i >= 0 && (this.seqs[i] as number) >= cursor; i -= 1) {
      const id = this.ids[i] as string;
      if (!seen.has(id)) {
        seen.add(id);
        out.push(id);
      }
    }
    return out;
  }

  /** Number of distinct ids a watcher at `cursor` has not seen (after compaction, close to the entries). */
  lag(cursor: number): number {
    let lo = 0;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.seqs[mid] as number) < cursor) lo = mid + 1;
      else hi = mid;
    }
    return this.seqs.length - lo;
  }

  /** Drops entries before `minCursor` (the slowest watcher's cursor). */
  trim(minCursor: number): void {
    const drop = this.seqs.length - this.lag(minCursor);
    if (drop > 0) {
      this.ids.splice(0, drop);
      this.seqs.splice(0, drop);
    }
  }

  /** Keeps only the latest entry of each id. */
  private compact(): void {
    const seen = new Set<string>();
    const ids: string[] = [];
    const seqs: number[] = [];
    for (let i = this.ids.length - 1; i >= 0; i -= 1) {
      const id = this.ids[i] as string;
      if (seen.has(id)) continue;
      seen.add(id);
      ids.push(id);
      seqs.push(this.seqs[i] as number);
    }
    this.ids = ids.reverse();
    this.seqs = seqs.reverse();
    this.compactAt = 2 * this.ids.length + 1024;
  }
}

/**
 * The ids changed in one cluster, in order, numbered by sequence. Watchers keep a
 * cursor into it; entries every watcher has passed are dropped, so its length is
 * bounded by the lag of the slowest watcher (which is cut off beyond a limit).
 */
export class ChangeLog {
  private ids: string[] = [];
  private offset = 0;
  /** Sequence number of ids[offset]. */
  private base = 0;

  /** The sequence number the next change gets; a watcher at `head` is up to date. */
  get head(): number {
    return this.base + this.ids.length - this.offset;
  }

  get length(): number {
    return this.ids.length - this.offset;
  }

  /** Records a change; `keep` is false when nobody watches (nothing stored). */
  append(id: string, keep: boolean): void {
    if (keep) this.ids.push(id);
    else this.reset(this.head + 1);
  }

  /** Ids changed since `cursor`, newest first, each once. */
  changedSince(cursor: number): string[] {
    const seen = new Set<string>();
    const out: string[] = [];
    const start = this.offset + Math.max(0, cursor - this.base);
    for (let i = this.ids.length - 1; i >= start; i -= 1) {
      const id = this.ids[i] as string;
      if (!seen.has(id)) {
        seen.add(id);
        out.push(id);
      }
    }
    return out;
  }

  /** Drops entries before `minCursor` (the slowest watcher's cursor). */
  trim(minCursor: number): void {
    const drop = Math.min(this.length, Math.max(0, minCursor - this.base));
    this.offset += drop;
    this.base += drop;
    if (this.offset > 1024 && this.offset * 2 > this.ids.length) {
      this.ids = this.ids.slice(this.offset);
      this.offset = 0;
    }
  }

  private reset(base: number): void {
    this.ids = [];
    this.offset = 0;
    this.base = base;
  }
}

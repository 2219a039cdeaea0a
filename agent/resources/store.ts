import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../shared/clock.js';
import type { ResourceKind } from './kinds.js';

/** One stored resource: its kind, id, revision and spec. Specs are treated as immutable values. */
export interface StoredResource<T = unknown> {
  kind: ResourceKind<T>;
  id: string;
  /** Starts at 1 and grows by one on every change. */
  version: number;
  /** When it last changed (ms since the epoch). */
  updated: number;
  spec: T;
}

/** A change in the store. */
export interface StoreEvent {
  type: 'upserted' | 'deleted';
  resource: StoredResource;
}

/** What a watcher receives: the current state first, then each change. */
export type WatchEvent = { type: 'snapshot'; resources: StoredResource[] } | StoreEvent;

/** The store as a controller sees it: the runtime checks each call against the controller's declared kinds. */
export type StoreHandle = Pick<ResourceStore, 'get' | 'list' | 'upsert' | 'delete' | 'replaceAll'>;

/**
 * The agent's typed resource store (like Talos's COSI state): controllers write resources, others
 * react to changes, the API serves it. Writing an equal spec is a no-op (no version, no event).
 */
export class ResourceStore {
  private readonly byKind = new Map<string, Map<string, StoredResource>>();
  private readonly listeners = new Set<(event: StoreEvent) => void>();

  constructor(private readonly clock: Clock) {}

  private table(kind: ResourceKind<unknown>): Map<string, StoredResource> {
    let table = this.byKind.get(kind.name);
    if (!table) {
      table = new Map();
      this.byKind.set(kind.name, table);
    }
    return table;
  }

  get<T>(kind: ResourceKind<T>, id: string): StoredResource<T> | undefined {
    return this.table(kind as ResourceKind<unknown>).get(id) as StoredResource<T> | undefined;
  }

  /** The resources of a kind, sorted by id. */
  list<T>(kind: ResourceKind<T>): StoredResource<T>[] {
    const all = [...this.table(kind as ResourceKind<unknown>).values()] as StoredResource<T>[];
    return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Creates or replaces a resource; returns whether anything changed. */
  upsert<T>(kind: ResourceKind<T>, id: string, spec: T): boolean {
    const table = this.table(kind as ResourceKind<unknown>);
    const old = table.get(id);
    if (old && isDeepStrictEqual(old.spec, spec)) return false;
    const resource: StoredResource = { kind: kind as ResourceKind<unknown>, id, version: (old?.version ?? 0) + 1, updated: this.clock.now(), spec };
    table.set(id, resource);
    this.emit({ type: 'upserted', resource });
    return true;
  }

  delete(kind: ResourceKind<unknown>, id: string): boolean {
    const table = this.table(kind);
    const old = table.get(id);
    if (!old) return false;
    table.delete(id);
    this.emit({ type: 'deleted', resource: old });
    return true;
  }

  /** Makes a kind hold exactly `entries` (upsert each, delete the rest); returns whether anything changed. */
  replaceAll<T>(kind: ResourceKind<T>, entries: Iterable<[string, T]>, keep: (id: string) => boolean = () => false): boolean {
    let changed = false;
    const wanted = new Set<string>();
    for (const [id, spec] of entries) {
      wanted.add(id);
      changed = this.upsert(kind, id, spec) || changed;
    }
    for (const id of [...this.table(kind as ResourceKind<unknown>).keys()]) {
      if (!wanted.has(id) && !keep(id)) changed = this.delete(kind as ResourceKind<unknown>, id) || changed;
    }
    return changed;
  }

  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends a snapshot of the given kinds (all when empty) now, then each change to them. */
  watch(kinds: readonly string[], listener: (event: WatchEvent) => void): () => void {
    const wanted = (name: string) => kinds.length === 0 || kinds.includes(name);
    const resources = [...this.byKind.entries()].filter(([name]) => wanted(name)).flatMap(([, t]) => [...t.values()]);
    listener({ type: 'snapshot', resources });
    return this.subscribe((event) => {
      if (wanted(event.resource.kind.name)) listener(event);
    });
  }

  private emit(event: StoreEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}

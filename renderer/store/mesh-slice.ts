import { create } from 'zustand';
import type { ErrorEnvelope, MeshNode, MeshPatch, MeshSnapshot, PairDetail } from '../../electron/contract/index.js';
import { getApi } from '../api/client.js';
import { enterCluster, onClusterChange, sameCluster } from './cluster-scope.js';

/** The N x N view held by the UI: the contract's snapshot with cells packed in bytes. */
export interface MeshView {
  version: number;
  /** The cluster it is of (null: none selected). */
  cluster: string | null;
  nodes: MeshNode[];
  /** Node name to row/column index. */
  index: Map<string, number>;
  /** Row-major `from * n + to`, the contract's pair codes. */
  cells: Uint8Array;
  /** The relay node of each relayed cell, by cell index. */
  relays: ReadonlyMap<number, string>;
  clusterHealth: number;
  updatedAt: string;
}

/** The pair opened for detail, as `mesh:pair` returned it. */
export interface PairPanel {
  from: string;
  to: string;
  detail: PairDetail | null;
  error: ErrorEnvelope | null;
}

/** The live mesh: a snapshot, then patches that must follow version by version. */
export interface MeshState {
  view: MeshView | null;
  error: ErrorEnvelope | null;
  /** How often a gap in versions made the slice fetch the whole view again. */
  resyncs: number;
  /** The highest version taken, kept across clusters: a fetched view older than it is stale. */
  seen: number;
  pair: PairPanel | null;
  /** Pair details fetched for hover tooltips, by `from>to`. */
  peeks: Record<string, PairDetail>;
  load(): Promise<void>;
  applySnapshot(snapshot: MeshSnapshot): void;
  applyPatch(patch: MeshPatch): void;
  openPair(from: string, to: string): Promise<void>;
  closePair(): void;
  peekPair(from: string, to: string): Promise<void>;
}

function toView(snapshot: MeshSnapshot): MeshView {
  return {
    version: snapshot.version,
    cluster: snapshot.cluster,
    nodes: snapshot.nodes,
    index: new Map(snapshot.nodes.map((node, i) => [node.name, i])),
    cells: Uint8Array.from(snapshot.cells),
    relays: new Map(snapshot.relays ?? []),
    clusterHealth: snapshot.clusterHealth,
    updatedAt: snapshot.updatedAt,
  };
}

export const useMeshStore = create<MeshState>((set, get) => ({
  view: null,
  error: null,
  resyncs: 0,
  seen: -1,
  pair: null,
  peeks: {},
  async load() {
    const same = sameCluster();
    const result = await getApi().invoke('mesh:get', {});
    if (!result.ok) {
      if (same()) set({ error: result.error });
      return;
    }
    if (result.value.version < get().seen) return;
    get().applySnapshot(result.value);
  },
  applySnapshot(snapshot) {
    enterCluster(snapshot.cluster);
    set({ view: toView(snapshot), error: null, seen: snapshot.version });
  },
  applyPatch(patch) {
    const view = get().view;
    if (view && patch.version <= view.version) return;
    const unknownNode = view ? patch.nodes.some((node) => !view.index.has(node.name)) : true;
    if (!view || patch.version !== view.version + 1 || unknownNode) {
      set((s) => ({ resyncs: s.resyncs + 1 }));
      void get().load();
      return;
    }
    const cells = view.cells.slice();
    const changes = patch.cells;
    for (let i = 0; i < changes.length; i++) {
      const change = changes[i] as [number, number];
      cells[change[0]] = change[1];
    }
    let nodes = view.nodes;
    if (patch.nodes.length) {
      nodes = nodes.slice();
      for (const node of patch.nodes) nodes[view.index.get(node.name) as number] = node;
    }
    const relays = patch.relays ? new Map(patch.relays) : view.relays;
    set({
      view: { ...view, version: patch.version, nodes, cells, relays, clusterHealth: patch.clusterHealth, updatedAt: patch.updatedAt },
      seen: patch.version,
    });
  },
  async openPair(from, to) {
    set({ pair: { from, to, detail: null, error: null } });
    const same = sameCluster();
    const result = await getApi().invoke('mesh:pair', { from, to, historyMinutes: 60 });
    const pair = get().pair;
    if (!same() || !pair || pair.from !== from || pair.to !== to) return;
    set({ pair: result.ok ? { from, to, detail: result.value, error: null } : { from, to, detail: null, error: result.error } });
  },
  closePair() {
    set({ pair: null });
  },
  async peekPair(from, to) {
    const same = sameCluster();
    const result = await getApi().invoke('mesh:pair', { from, to, historyMinutes: 1 });
    if (!result.ok || !same()) return;
    set((s) => {
      const keys = Object.keys(s.peeks);
      const kept = keys.length > 50 ? Object.fromEntries(keys.slice(-25).map((k) => [k, s.peeks[k] as PairDetail])) : s.peeks;
      return { peeks: { ...kept, [`${from}>${to}`]: result.value } };
    });
  },
}));

onClusterChange(() => {
  useMeshStore.setState({ view: null, error: null, pair: null, peeks: {} });
  void useMeshStore.getState().load();
});

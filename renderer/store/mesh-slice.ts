import { create } from 'zustand';
import type { ErrorEnvelope, MeshNode, MeshPatch, MeshSnapshot, PairDetail } from '../../electron/contract/index.js';
import { getApi } from '../api/client.js';

/** The N x N view held by the UI: the contract's snapshot with cells packed in bytes. */
export interface MeshView {
  version: number;
  nodes: MeshNode[];
  /** Node name to row/column index. */
  index: Map<string, number>;
  /** Row-major `from * n + to`, the contract's pair codes. */
  cells: Uint8Array;
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
    nodes: snapshot.nodes,
    index: new Map(snapshot.nodes.map((node, i) => [node.name, i])),
    cells: Uint8Array.from(snapshot.cells),
    clusterHealth: snapshot.clusterHealth,
    updatedAt: snapshot.updatedAt,
  };
}

export const useMeshStore = create<MeshState>((set, get) => ({
  view: null,
  error: null,
  resyncs: 0,
  pair: null,
  peeks: {},
  async load() {
    const result = await getApi().invoke('mesh:get', {});
    if (!result.ok) {
      set({ error: result.error });
      return;
    }
    const current = get().view;
    if (!current || result.value.version >= current.version) set({ view: toView(result.value), error: null });
  },
  applySnapshot(snapshot) {
    set({ view: toView(snapshot), error: null });
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
    set({ view: { ...view, version: patch.version, nodes, cells, clusterHealth: patch.clusterHealth, updatedAt: patch.updatedAt } });
  },
  async openPair(from, to) {
    set({ pair: { from, to, detail: null, error: null } });
    const result = await getApi().invoke('mesh:pair', { from, to, historyMinutes: 60 });
    const pair = get().pair;
    if (!pair || pair.from !== from || pair.to !== to) return;
    set({ pair: result.ok ? { from, to, detail: result.value, error: null } : { from, to, detail: null, error: result.error } });
  },
  closePair() {
    set({ pair: null });
  },
  async peekPair(from, to) {
    const result = await getApi().invoke('mesh:pair', { from, to, historyMinutes: 1 });
    if (!result.ok) return;
    set((s) => {
      const keys = Object.keys(s.peeks);
      const kept = keys.length > 50 ? Object.fromEntries(keys.slice(-25).map((k) => [k, s.peeks[k] as PairDetail])) : s.peeks;
      return { peeks: { ...kept, [`${from}>${to}`]: result.value } };
    });
  },
}));

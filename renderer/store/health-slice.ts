import { create } from 'zustand';
import type { ClusterHealth, ErrorEnvelope, FragilePair } from '../../electron/contract/index.js';
import { pairCodes } from '../../electron/contract/fields.js';
import { getApi } from '../api/client.js';
import { onClusterChange, sameCluster } from './cluster-scope.js';
import type { MeshView } from './mesh-slice.js';

/** The backend's one health model, as `health:get` answered or `health:changed` pushed it. */
export interface HealthState {
  health: ClusterHealth | null;
  error: ErrorEnvelope | null;
  load(): Promise<void>;
  apply(health: ClusterHealth): void;
}

/** Pushes applied so far: a `health:get` answer that a push overtook is older than that push. */
let pushes = 0;

export const useHealthStore = create<HealthState>((set) => ({
  health: null,
  error: null,
  async load() {
    const same = sameCluster();
    const before = pushes;
    const result = await getApi().invoke('health:get', {});
    if (!same() || (result.ok && pushes !== before)) return;
    set(result.ok ? { health: result.value, error: null } : { error: result.error });
  },
  apply(health) {
    pushes += 1;
    set({ health, error: null });
  },
}));

onClusterChange(() => {
  useHealthStore.setState({ health: null, error: null });
  void useHealthStore.getState().load();
});

/** The mesh view's cells with the model's fragile pairs laid over the cells that are still up (a pair gone down shows down at once). */
export function healthCells(view: MeshView, health: ClusterHealth | null): Uint8Array {
  if (!health || health.cluster !== view.cluster || health.fragile.length === 0) return view.cells;
  const n = view.nodes.length;
  const out = view.cells.slice();
  for (const pair of health.fragile) {
    const from = view.index.get(pair.from);
    const to = view.index.get(pair.to);
    if (from === undefined || to === undefined) continue;
    if (out[from * n + to] === pairCodes.up) out[from * n + to] = pairCodes.fragile;
  }
  return out;
}

/** The model's word on one ordered pair when it is fragile. */
export function fragilePair(health: ClusterHealth | null, from: string, to: string): FragilePair | undefined {
  return health?.fragile.find((p) => p.from === from && p.to === to);
}

import { create } from 'zustand';
import type { ClusterSummary, DiscoveryPlacement, ErrorEnvelope, InvokeResult, TalosImport } from '../../electron/contract/index.js';
import { getApi } from '../api/client.js';
import { enterCluster, onClusterChange, sameCluster } from './cluster-scope.js';

/** The clusters known to the backend, and which one is current. */
export interface ClustersState {
  clusters: ClusterSummary[];
  loaded: boolean;
  error: ErrorEnvelope | null;
  load(): Promise<void>;
  /** Creates and selects a cluster; returns the error for the form, or null. */
  create(name: string, discovery: DiscoveryPlacement): Promise<ErrorEnvelope | null>;
  /** Creates and selects a cluster from the text of a Talos secrets.yaml or machine config. */
  createFromTalos(name: string, config: string): Promise<InvokeResult<TalosImport>>;
  select(name: string): Promise<void>;
  remove(name: string): Promise<ErrorEnvelope | null>;
}

/** The current cluster, if any. */
export const currentCluster = (s: ClustersState): ClusterSummary | undefined => s.clusters.find((c) => c.current);

export const useClustersStore = create<ClustersState>((set, get) => ({
  clusters: [],
  loaded: false,
  error: null,
  async load() {
    const same = sameCluster();
    const result = await getApi().invoke('cluster:list', {});
    if (!same()) return;
    set(result.ok ? { clusters: result.value, loaded: true, error: null } : { error: result.error, loaded: true });
    if (result.ok) enterCluster(currentCluster(get())?.name ?? null);
  },
  async create(name, discovery) {
    const result = await getApi().invoke('cluster:create', { name, discovery });
    if (!result.ok) return result.error;
    await get().load();
    return null;
  },
  async createFromTalos(name, config) {
    const result = await getApi().invoke('cluster:createFromTalos', { name, config });
    if (result.ok) await get().load();
    return result;
  },
  async select(name) {
    const result = await getApi().invoke('cluster:select', { name });
    if (!result.ok) set({ error: result.error });
    await get().load();
  },
  async remove(name) {
    const result = await getApi().invoke('cluster:delete', { name });
    await get().load();
    return result.ok ? null : result.error;
  },
}));

onClusterChange((cluster) => {
  const state = useClustersStore.getState();
  if ((currentCluster(state)?.name ?? null) !== cluster) void state.load();
});

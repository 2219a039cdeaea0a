import { create } from 'zustand';
import type { ClusterStatus, ErrorEnvelope } from '../../electron/contract/index.js';
import { getApi } from '../api/client.js';
import { onClusterChange, sameCluster } from './cluster-scope.js';

/** What `status:get` returned last (agents asked directly or through SSH). */
export interface StatusState {
  status: ClusterStatus | null;
  loading: boolean;
  error: ErrorEnvelope | null;
  load(): Promise<void>;
}

export const useStatusStore = create<StatusState>((set) => ({
  status: null,
  loading: false,
  error: null,
  async load() {
    set({ loading: true });
    const same = sameCluster();
    const result = await getApi().invoke('status:get', {});
    if (!same()) return;
    set(result.ok ? { status: result.value, error: null, loading: false } : { error: result.error, loading: false });
  },
}));

onClusterChange(() => {
  const loading = useStatusStore.getState().loading;
  useStatusStore.setState({ status: null, error: null, loading: false });
  if (loading) void useStatusStore.getState().load();
});

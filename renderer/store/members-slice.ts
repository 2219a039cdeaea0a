import { create } from 'zustand';
import type { ClusterMembers, ErrorEnvelope } from '../../electron/contract/index.js';
import { getApi } from '../api/client.js';
import { onClusterChange, sameCluster } from './cluster-scope.js';

/** What `cluster:members` returned last for the current cluster (asked on demand). */
export interface MembersState {
  members: ClusterMembers | null;
  loading: boolean;
  error: ErrorEnvelope | null;
  load(): Promise<void>;
}

export const useMembersStore = create<MembersState>((set) => ({
  members: null,
  loading: false,
  error: null,
  async load() {
    set({ loading: true });
    const same = sameCluster();
    const result = await getApi().invoke('cluster:members', {});
    if (!same()) return;
    set(result.ok ? { members: result.value, error: null, loading: false } : { error: result.error, members: null, loading: false });
  },
}));

onClusterChange(() => useMembersStore.setState({ members: null, error: null, loading: false }));

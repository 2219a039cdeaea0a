import { create } from 'zustand';
import type { ErrorEnvelope } from '../../electron/contract/index.js';
import { getApi } from '../api/client.js';
import { onClusterChange, sameCluster } from './cluster-scope.js';

/** Agent logs read on request, by node. */
export interface LogsState {
  logs: Record<string, string[]>;
  loading: string | null;
  error: ErrorEnvelope | null;
  load(node: string): Promise<void>;
}

export const useLogsStore = create<LogsState>((set) => ({
  logs: {},
  loading: null,
  error: null,
  async load(node) {
    set({ loading: node, error: null });
    const same = sameCluster();
    const result = await getApi().invoke('node:logs', { name: node, lines: 200 });
    if (!same()) return;
    set((s) => (result.ok ? { logs: { ...s.logs, [node]: result.value.lines }, loading: null } : { error: result.error, loading: null }));
  },
}));

onClusterChange(() => useLogsStore.setState({ logs: {}, loading: null, error: null }));

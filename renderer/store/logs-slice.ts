import { create } from 'zustand';
import type { ErrorEnvelope } from '../../electron/contract/index.js';
import { getApi } from '../api/client.js';

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
    const result = await getApi().invoke('node:logs', { name: node, lines: 200 });
    set((s) => (result.ok ? { logs: { ...s.logs, [node]: result.value.lines }, loading: null } : { error: result.error, loading: null }));
  },
}));

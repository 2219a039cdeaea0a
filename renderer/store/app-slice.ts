import { create } from 'zustand';
import type { AppInfo, ErrorEnvelope, Notice } from '../../electron/contract/index.js';
import { getApi } from '../api/client.js';

/** The app slice: backend facts and notices pushed by the backend. */
export interface AppState {
  info: AppInfo | null;
  error: ErrorEnvelope | null;
  notices: Notice[];
  load(): Promise<void>;
}

export const useAppStore = create<AppState>((set) => ({
  info: null,
  error: null,
  notices: [],
  async load() {
    const result = await getApi().invoke('app:info', {});
    set(result.ok ? { info: result.value, error: null } : { error: result.error });
  },
}));

/** Subscribes the slice to backend events; returns the unsubscribe function. */
export function subscribeAppEvents(): () => void {
  return getApi().on('app:notice', (notice) => useAppStore.setState((state) => ({ notices: [...state.notices.slice(-49), notice] })));
}

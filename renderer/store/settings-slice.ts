import { create } from 'zustand';
import type { ClusterSettings, ErrorEnvelope, OnboardingResult, SettingsView } from '../../electron/contract/index.js';
import { getApi } from '../api/client.js';
import { onClusterChange, sameCluster } from './cluster-scope.js';

/** The current cluster's mesh settings, and the outcome of the last save. */
export interface SettingsState {
  view: SettingsView | null;
  error: ErrorEnvelope | null;
  saving: boolean;
  applied: OnboardingResult[] | null;
  load(): Promise<void>;
  save(settings: ClusterSettings, apply: boolean): Promise<boolean>;
}

export const useSettingsStore = create<SettingsState>((set) => ({
  view: null,
  error: null,
  saving: false,
  applied: null,
  async load() {
    const same = sameCluster();
    const result = await getApi().invoke('settings:get', {});
    if (!same()) return;
    set(result.ok ? { view: result.value, error: null } : { error: result.error });
  },
  async save(settings, apply) {
    set({ saving: true, error: null, applied: null });
    const result = await getApi().invoke('settings:update', { settings, apply });
    set(result.ok ? { view: result.value.view, applied: result.value.applied, saving: false } : { error: result.error, saving: false });
    return result.ok;
  },
}));

onClusterChange(() => useSettingsStore.setState({ view: null, error: null, saving: false, applied: null }));

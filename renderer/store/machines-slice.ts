import { create } from 'zustand';
import type { ErrorEnvelope, ImportedHost, InvokeResult, MachineInput, MachineSummary, RemovalResult } from '../../electron/contract/index.js';
import { getApi } from '../api/client.js';
import { onClusterChange, sameCluster } from './cluster-scope.js';

/** The machines of the current cluster, and hosts found in an SSH config. */
export interface MachinesState {
  machines: MachineSummary[];
  error: ErrorEnvelope | null;
  imported: ImportedHost[] | null;
  importError: ErrorEnvelope | null;
  load(): Promise<void>;
  /** Adds one machine; returns the backend's error for the form, or null. Nothing is stored on error. */
  add(input: MachineInput): Promise<ErrorEnvelope | null>;
  remove(name: string): Promise<ErrorEnvelope | null>;
  /** Stops the agent, cleans the host and drops the machine (`force`: drop it even when the host is unreachable). */
  removeNode(name: string, force: boolean): Promise<InvokeResult<RemovalResult>>;
  /** Retries a removal that left something on the host (REMOVE_INCOMPLETE): stops what still runs, deletes what is left, checks again. */
  cleanupNode(name: string): Promise<InvokeResult<RemovalResult>>;
  importSshConfig(path?: string): Promise<void>;
  clearImport(): void;
}

export const useMachinesStore = create<MachinesState>((set, get) => ({
  machines: [],
  error: null,
  imported: null,
  importError: null,
  async load() {
    const same = sameCluster();
    const result = await getApi().invoke('machine:list', {});
    if (!same()) return;
    set(result.ok ? { machines: result.value, error: null } : { machines: result.error.code === 'DISCONNECTED' ? get().machines : [], error: result.error });
  },
  async add(input) {
    const result = await getApi().invoke('machine:add', input);
    if (!result.ok) return result.error;
    await get().load();
    return null;
  },
  async remove(name) {
    const result = await getApi().invoke('machine:delete', { name });
    await get().load();
    return result.ok ? null : result.error;
  },
  async removeNode(name, force) {
    const result = await getApi().invoke('node:remove', { name, force });
    await get().load();
    return result;
  },
  async cleanupNode(name) {
    const result = await getApi().invoke('node:cleanup', { name });
    await get().load();
    return result;
  },
  async importSshConfig(path) {
    const result = await getApi().invoke('machine:importSshConfig', path ? { path } : {});
    set(result.ok ? { imported: result.value, importError: null } : { imported: null, importError: result.error });
  },
  clearImport() {
    set({ imported: null, importError: null });
  },
}));

onClusterChange(() => useMachinesStore.setState({ machines: [], error: null, imported: null, importError: null }));

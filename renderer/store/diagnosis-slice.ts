import { create } from 'zustand';
import type { DiagnosisReport, ErrorEnvelope, FixResult, OnboardingResult, RelayOffer, Remediation } from '../../electron/contract/index.js';
import { getApi } from '../api/client.js';
import { onClusterChange, sameCluster } from './cluster-scope.js';

/** A fix preview as `fix:preview` returned it. */
export interface PreviewState {
  remediation: Remediation | null;
  error: ErrorEnvelope | null;
}

/** One fix being applied, or its outcome. */
export interface ApplyState {
  node: string | null;
  running: boolean;
  result: FixResult | null;
  error: ErrorEnvelope | null;
}

/** A relay offer being applied (saved into the cluster's settings and pushed to the agents), or its outcome. */
export interface RelayApplyState {
  running: boolean;
  /** What the push did on each onboarded node, once saved. */
  pushed: OnboardingResult[] | null;
  error: ErrorEnvelope | null;
}

/** The latest diagnosis report, fix previews and applied fixes. */
export interface DiagnosisState {
  report: DiagnosisReport | null;
  running: boolean;
  error: ErrorEnvelope | null;
  previews: Record<string, PreviewState>;
  applies: Record<string, ApplyState>;
  /** Relay offers applied, by finding id. */
  relays: Record<string, RelayApplyState>;
  loadLast(): Promise<void>;
  run(): Promise<void>;
  setReport(report: DiagnosisReport): void;
  preview(findingId: string): Promise<void>;
  /** Applies a fix (on one node, or all of its hosts) with automatic revert, then re-runs the diagnosis. */
  apply(findingId: string, node: string | null, confirmSeconds: number): Promise<void>;
  /** Applies a finding's relay offer: adds it to the cluster setting `relays` (replacing the pair's relay) and pushes it to the agents. */
  applyRelay(findingId: string, offer: RelayOffer): Promise<void>;
}

export const useDiagnosisStore = create<DiagnosisState>((set, get) => ({
  report: null,
  running: false,
  error: null,
  previews: {},
  applies: {},
  relays: {},
  async loadLast() {
    const same = sameCluster();
    const result = await getApi().invoke('diagnosis:last', {});
    if (!same()) return;
    set(result.ok ? { report: result.value ?? get().report, error: null } : { error: result.error });
  },
  async run() {
    set({ running: true });
    const same = sameCluster();
    const result = await getApi().invoke('diagnosis:run', {});
    if (!same()) return;
    set(result.ok ? { report: result.value, error: null, running: false } : { error: result.error, running: false });
  },
  setReport(report) {
    set({ report, error: null });
  },
  async preview(findingId) {
    const same = sameCluster();
    const result = await getApi().invoke('fix:preview', { findingId });
    if (!same()) return;
    const state: PreviewState = result.ok ? { remediation: result.value, error: null } : { remediation: null, error: result.error };
    set((s) => ({ previews: { ...s.previews, [findingId]: state } }));
  },
  async apply(findingId, node, confirmSeconds) {
    set((s) => ({ applies: { ...s.applies, [findingId]: { node, running: true, result: null, error: null } } }));
    const same = sameCluster();
    const result = await getApi().invoke('fix:apply', { findingId, confirmSeconds, ...(node ? { node } : {}) });
    if (!same()) return;
    const state: ApplyState = result.ok
      ? { node, running: false, result: result.value, error: null }
      : { node, running: false, result: null, error: result.error };
    set((s) => ({ applies: { ...s.applies, [findingId]: state } }));
    if (result.ok && result.value.applied) await get().run();
  },
  async applyRelay(findingId, offer) {
    const put = (state: RelayApplyState) => set((s) => ({ relays: { ...s.relays, [findingId]: state } }));
    put({ running: true, pushed: null, error: null });
    const same = sameCluster();
    const current = await getApi().invoke('settings:get', {});
    if (!current.ok) return same() ? put({ running: false, pushed: null, error: current.error }) : undefined;
    const key = (between: readonly string[]) => [...between].sort().join(',');
    const { settings } = current.value;
    const relays = [...(settings.relays ?? []).filter((r) => key(r.between) !== key(offer.between)), { between: offer.between, via: offer.via }];
    const saved = await getApi().invoke('settings:update', { settings: { ...settings, relays }, apply: true });
    if (!same()) return;
    put(saved.ok ? { running: false, pushed: saved.value.applied, error: null } : { running: false, pushed: null, error: saved.error });
  },
}));

onClusterChange(() => useDiagnosisStore.setState({ report: null, running: false, error: null, previews: {}, applies: {}, relays: {} }));

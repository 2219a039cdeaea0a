import { create } from 'zustand';
import type { ErrorEnvelope, OnboardingProgress, OnboardingResult, OnboardingRunView, OnboardingStep, StepState } from '../../electron/contract/index.js';
import type { InstallMethod } from '../../electron/contract/onboarding.js';
import { getApi } from '../api/client.js';
import { onClusterChange, sameCluster } from './cluster-scope.js';
import { useMachinesStore } from './machines-slice.js';

const stepSet = {
  connect: true,
  preflight: true,
  packages: true,
  upload: true,
  config: true,
  certificate: true,
  discovery: true,
  service: true,
  verify: true,
} satisfies Record<OnboardingStep, true>;

/** The onboarding steps in the order they run. */
export const stepOrder = Object.keys(stepSet) as OnboardingStep[];

/** One machine's latest run, as progress events report it. */
export interface MachineRun {
  runId: number | null;
  steps: Record<OnboardingStep, StepState>;
  percent: number;
  /** Log lines of the run (the latest 500). */
  log: string[];
  status: 'running' | 'done' | 'failed' | 'cancelled';
  failedStep: OnboardingStep | null;
  error: ErrorEnvelope | null;
}

/** A host key the user has not confirmed yet; its run failed with HOST_KEY_UNKNOWN, whose details these are. */
export interface HostKeyPrompt {
  machine: string;
  fingerprint: string;
  /** The host:port that presented the key. */
  address: string;
  /** The jump hosts on the way, outermost first; absent for a direct connection. */
  via?: string;
}

/** Onboarding runs by machine, and host keys waiting for the user. */
export interface OnboardingState {
  runs: Record<string, MachineRun>;
  prompts: HostKeyPrompt[];
  /** Takes every machine's latest run from the backend, which keeps them (a reload, a second window). */
  loadRuns(): Promise<void>;
  /** How onboarding installs the agent (the machine list's Install select). */
  install: InstallMethod;
  setInstall(install: InstallMethod): void;
  /** Onboards machines (a re-run retries from the failed step: done steps are checked, not repeated). */
  onboard(names: string[], accept?: Record<string, string>): Promise<void>;
  cancel(name: string): Promise<void>;
  acceptHostKey(prompt: HostKeyPrompt): Promise<void>;
  rejectHostKey(prompt: HostKeyPrompt): void;
  applyProgress(progress: OnboardingProgress): void;
}

/** The prompt for a run that failed on an unknown host key, from the error's details. */
function hostKeyPrompt(machine: string, error: ErrorEnvelope | undefined): HostKeyPrompt | undefined {
  if (error?.code !== 'HOST_KEY_UNKNOWN') return undefined;
  const { fingerprint, address, via } = error.details ?? {};
  if (typeof fingerprint !== 'string' || typeof address !== 'string') return undefined;
  return { machine, fingerprint, address, ...(typeof via === 'string' ? { via } : {}) };
}

function freshRun(runId: number | null): MachineRun {
  const steps = Object.fromEntries(stepOrder.map((step) => [step, 'pending'])) as Record<OnboardingStep, StepState>;
  return { runId, steps, percent: 0, log: [], status: 'running', failedStep: null, error: null };
}

function finish(run: MachineRun | undefined, result: OnboardingResult): MachineRun {
  const base = run ?? freshRun(result.runId);
  if (result.ok) return { ...base, status: 'done', percent: 100, error: null, failedStep: null };
  const cancelled = result.error?.code === 'CANCELLED';
  return { ...base, status: cancelled ? 'cancelled' : 'failed', failedStep: result.failedStep ?? null, error: result.error ?? null };
}

/** A run as the backend keeps it, in the slice's shape. */
function fromStored(stored: OnboardingRunView): MachineRun {
  const base = freshRun(stored.runId);
  return {
    ...base,
    steps: { ...base.steps, ...stored.steps },
    percent: stored.percent,
    log: stored.log,
    status: stored.status,
    failedStep: stored.failedStep ?? null,
    error: stored.error ?? null,
  };
}

export const useOnboardingStore = create<OnboardingState>((set, get) => ({
  runs: {},
  prompts: [],
  install: 'auto',
  setInstall: (install) => set({ install }),
  async loadRuns() {
    const same = sameCluster();
    const result = await getApi().invoke('node:runs', {});
    if (!result.ok || !same()) return;
    set((s) => {
      const runs = { ...s.runs };
      for (const stored of result.value) {
        const held = runs[stored.machine];
        // A run this window holds that is newer than the stored one (its first event not yet stored) stays.
        if (!held || held.runId === null || held.runId <= stored.runId) runs[stored.machine] = fromStored(stored);
      }
      return { runs };
    });
  },
  async onboard(names, accept = {}) {
    set((s) => ({
      runs: { ...s.runs, ...Object.fromEntries(names.map((name) => [name, freshRun(null)])) },
      prompts: s.prompts.filter((p) => !names.includes(p.machine)),
    }));
    const result = await getApi().invoke('node:onboard', { names, hostKeys: { trustOnFirstUse: false, accept }, install: get().install });
    if (!result.ok && result.error.code === 'DISCONNECTED') return;
    if (!result.ok) {
      set((s) => ({
        runs: {
          ...s.runs,
          ...Object.fromEntries(names.map((name) => [name, { ...(s.runs[name] ?? freshRun(null)), status: 'failed' as const, error: result.error }])),
        },
      }));
    } else {
      const prompts = result.value.map((outcome) => hostKeyPrompt(outcome.machine, outcome.error)).filter((prompt) => prompt !== undefined);
      set((s) => ({
        runs: { ...s.runs, ...Object.fromEntries(result.value.map((r) => [r.machine, finish(s.runs[r.machine], r)])) },
        prompts: [...s.prompts, ...prompts],
      }));
    }
    await useMachinesStore.getState().load();
  },
  async cancel(name) {
    await getApi().invoke('node:cancel', { name });
  },
  async acceptHostKey(prompt) {
    set((s) => ({ prompts: s.prompts.filter((p) => p !== prompt) }));
    await get().onboard([prompt.machine], { [prompt.machine]: prompt.fingerprint });
  },
  rejectHostKey(prompt) {
    set((s) => ({ prompts: s.prompts.filter((p) => p !== prompt) }));
  },
  applyProgress(p) {
    if (p.kind === 'push') return;
    set((s) => {
      const previous = s.runs[p.machine];
      const run = previous && (previous.runId === null || previous.runId === p.runId) ? previous : freshRun(p.runId);
      const steps = { ...run.steps, [p.step]: p.state };
      const failed = p.state === 'failed' || p.state === 'cancelled';
      const last = p.step === stepOrder.at(-1) && (p.state === 'done' || p.state === 'skipped');
      const next: MachineRun = {
        ...run,
        runId: p.runId,
        steps,
        percent: last ? 100 : p.percent,
        log: p.log.length ? [...run.log, ...p.log].slice(-500) : run.log,
        status: failed ? (p.state === 'failed' ? 'failed' : 'cancelled') : last || run.status === 'done' ? 'done' : 'running',
        failedStep: failed ? p.step : run.failedStep,
        error: p.error ?? run.error,
      };
      return { runs: { ...s.runs, [p.machine]: next } };
    });
  },
}));

onClusterChange(() => {
  useOnboardingStore.setState({ runs: {}, prompts: [] });
  void useOnboardingStore.getState().loadRuns();
});

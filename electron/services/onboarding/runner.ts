import { toEnvelope } from '../../../agent/shared/errors.js';
import {
  onboardingSteps,
  type OnboardingProgress,
  type OnboardingResult,
  type OnboardingStep,
  type RunKind,
  type StepState,
} from '../../contract/onboarding.js';
import type { EventBus } from '../events.js';
import type { MachineCredentials } from '../machines/machine-service.js';
import type { HostKeyDecision, HostKeyStore } from '../ssh/host-keys.js';
import { openMachineSession } from '../ssh/machine-session.js';
import type { SshSession } from '../ssh/session.js';
import type { MachineRow } from '../store/machines.js';
import type { RunStore } from '../store/runs.js';
import type { StepContext, StepRunner, StepTable } from './context.js';
import { makeScrubber } from '../secrets/scrub.js';

/** What one machine's run needs besides the machine itself. */
export interface RunRequest {
  /** An `onboard` run moves the machine's state; a `push` leaves it and reports whether its config changed. */
  kind: RunKind;
  machine: MachineRow;
  credentials: MachineCredentials;
  cluster: StepContext['cluster'];
  hostsDiscovery: boolean;
  discoveryPort: number;
  bundle: StepContext['bundle'];
  install?: StepContext['install'];
  decision: HostKeyDecision;
  signal: AbortSignal;
}

/** Dependencies of the runner. */
export interface RunnerDeps {
  runs: RunStore;
  events: EventBus;
  hostKeys: HostKeyStore;
  /** The steps after connect that this run takes, in onboarding's order: all of them to onboard, fewer for a settings push. */
  steps: Partial<Omit<StepTable, 'connect'>>;
  /** Moves the machine's state (`onboard` runs only). */
  setMachineState(machine: MachineRow, state: MachineRow['state']): void;
  /** Keeps the MTU of the host's default-route link, for the mesh MTU recommendation. */
  recordUnderlayMtu(machine: MachineRow, mtu: number): void;
  /** Keeps how the agent was installed, for removal. */
  recordInstallMethod?(machine: MachineRow, method: 'package' | 'files'): void;
}

/** Runs the steps of onboarding (or those `deps.steps` holds) for one machine, recording and reporting each. */
export async function runOnboarding(deps: RunnerDeps, request: RunRequest): Promise<OnboardingResult> {
  const { machine, credentials } = request;
  const plan = onboardingSteps.filter((step): step is Exclude<OnboardingStep, 'connect'> => step !== 'connect' && deps.steps[step] !== undefined);
  const scrub = makeScrubber([request.cluster.secret, request.cluster.ca.keyPem, credentials.password, credentials.sudoPassword, credentials.passphrase]);
  const { kind } = request;
  const runId = deps.runs.start(machine.cluster, machine.name, kind);
  const outcomes: Partial<Record<OnboardingStep, 'done' | 'skipped'>> = {};
  const setState = (state: MachineRow['state']) => {
    if (kind === 'onboard') deps.setMachineState(machine, state);
  };
  let finished = 0;
  let pending: string[] = [];
  const emit = (step: OnboardingStep, state: StepState, error?: OnboardingProgress['error']) => {
    const percent = Math.round((finished / (plan.length + 1)) * 100);
    const log = pending.map(scrub);
    pending = [];
    deps.runs.step(runId, step, state, percent, log);
    deps.events.emit('onboard:progress', { machine: machine.name, runId, kind, step, state, percent, log, ...(error ? { error } : {}) });
  };
  setState('onboarding');
  let session: SshSession | undefined;
  let current: OnboardingStep = 'connect';
  try {
    emit('connect', 'running');
    const route = `${machine.jump.map((j) => `${j.user}@${j.host}:${j.port} -> `).join('')}${machine.ssh.user}@${machine.ssh.host}:${machine.ssh.port}`;
    pending.push(`ssh ${route}`);
    session = await openMachineSession(machine, credentials, deps.hostKeys, { decision: request.decision });
    request.signal.addEventListener('abort', () => session?.close(), { once: true });
    finished += 1;
    emit('connect', 'done');
    const ctx: StepContext = {
      machine,
      cluster: request.cluster,
      hostsDiscovery: request.hostsDiscovery,
      discoveryPort: request.discoveryPort,
      bundle: request.bundle,
      ...(request.install ? { install: request.install } : {}),
      session,
      sudoPassword: credentials.sudoPassword,
      restartAgent: false,
      signal: request.signal,
      log: (line) => pending.push(line),
      flush: () => emit(current, 'running'),
    };
    for (const step of plan) {
      current = step;
      if (request.signal.aborted) throw Object.assign(new Error('cancelled'), { cancelled: true });
      emit(step, 'running');
      const outcome = await (deps.steps[step] as StepRunner)(ctx);
      if (step === 'preflight' && ctx.facts?.defaultLinkMtu) deps.recordUnderlayMtu(machine, ctx.facts.defaultLinkMtu);
      const method = ctx.install?.plan?.method;
      if (step === 'upload' && (method === 'package' || method === 'files')) deps.recordInstallMethod?.(machine, method);
      finished += 1;
      outcomes[step] = outcome;
      emit(step, outcome);
    }
    deps.runs.finish(runId, 'done');
    setState('onboarded');
    return { machine: machine.name, runId, ok: true, ...(kind === 'push' ? { changed: outcomes.config === 'done' } : {}) };
  } catch (error) {
    const cancelled = request.signal.aborted;
    const envelope = cancelled
      ? {
          code: 'CANCELLED',
          message: `${kind === 'push' ? 'the settings push to' : 'onboarding of'} ${machine.name} was cancelled during ${current}`,
          hint: 're-run to finish; completed steps are checked, not repeated',
        }
      : toEnvelope(error);
    const safe = { ...envelope, message: scrub(`${current}: ${envelope.message}`), ...(envelope.hint ? { hint: scrub(envelope.hint) } : {}) };
    emit(current, cancelled ? 'cancelled' : 'failed', safe);
    deps.runs.finish(runId, cancelled ? 'cancelled' : 'failed', current, JSON.stringify(safe));
    setState('failed');
    return { machine: machine.name, runId, ok: false, failedStep: current, error: safe };
  } finally {
    session?.close();
  }
}

import { z } from 'zod';
import type { ErrorEnvelope } from '../../agent/shared/errors.js';
import { machineNameSchema } from './machines.js';
import { wholeNumber } from './numbers.js';

/** The steps of onboarding one machine, in order. Every step is safe to re-run. */
export const onboardingSteps = ['connect', 'preflight', 'packages', 'upload', 'config', 'certificate', 'discovery', 'service', 'verify'] as const;
export type OnboardingStep = (typeof onboardingSteps)[number];

/** What a run does: `onboard` a machine (every step), or `push` the cluster's settings to an onboarded one (its config only). */
export type RunKind = 'onboard' | 'push';

/** The state of one step of a run. */
export type StepState = 'pending' | 'running' | 'done' | 'skipped' | 'failed' | 'cancelled';

/** A progress event: one step of one machine's run changed. */
export interface OnboardingProgress {
  machine: string;
  runId: number;
  /** What the run does; the Machines screen follows `onboard` runs only. */
  kind: RunKind;
  step: OnboardingStep;
  state: StepState;
  /** Overall progress of the run, 0..100. */
  percent: number;
  /** New log lines of the step (never secrets). */
  log: string[];
  /** Set when the step failed. */
  error?: ErrorEnvelope;
}

/** How to treat host keys not seen before, per machine. */
export const hostKeyDecisionSchema = z
  .object({
    trustOnFirstUse: z.boolean().default(false),
    /** Fingerprints the user confirmed, by machine name (`SHA256:...`). */
    accept: z.record(machineNameSchema, z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'use the SHA256:... fingerprint shown')).default({}),
  })
  .strict();

/** How onboarding installs the agent: `package` (its .deb or .rpm), `files` (bundle, runtime, unit), or `auto` (package where the host has dpkg or rpm and a package exists for its arch). */
export const installMethods = ['auto', 'package', 'files'] as const;
export type InstallMethod = (typeof installMethods)[number];

/** The outcome of one machine's run. */
export interface OnboardingResult {
  machine: string;
  runId: number;
  ok: boolean;
  failedStep?: OnboardingStep;
  error?: ErrorEnvelope;
  /** Set by a settings push that succeeded: false when the node already had its config, so nothing was written or restarted. */
  changed?: boolean;
}

/** A machine's latest onboarding run as the backend keeps it: what a reload or a second window shows. */
export interface OnboardingRunView {
  machine: string;
  runId: number;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  /** The steps the run reached, with their state; steps not listed are pending. */
  steps: Partial<Record<OnboardingStep, StepState>>;
  /** Overall progress, 0..100 (100 once done). */
  percent: number;
  /** The run's latest log lines (at most 500; never secrets). */
  log: string[];
  failedStep?: OnboardingStep;
  error?: ErrorEnvelope;
  startedAt: string;
  finishedAt?: string;
}

/** One thing of the agent's that a removal found still on the host. */
export interface HostLeftover {
  kind: 'process' | 'file' | 'link';
  /** The process (`PID command line`), the path, or the link name. */
  what: string;
}

/** The outcome of removing a node; `left` lists what is still on its host (empty when it is clean). */
export interface RemovalResult {
  cleaned: boolean;
  warning?: string;
  left: HostLeftover[];
}

/** Requests of the onboarding domain. */
export const onboardingRequests = {
  'node:onboard': z
    .object({
      names: z.array(machineNameSchema).min(1, 'pick at least one machine').max(500),
      concurrency: wholeNumber(1, 32).default(4),
      hostKeys: hostKeyDecisionSchema.default({ trustOnFirstUse: false, accept: {} }),
      install: z.enum(installMethods, { error: 'use auto, package or files' }).default('auto'),
    })
    .strict(),
  'node:cancel': z.object({ name: machineNameSchema }).strict(),
  'node:remove': z.object({ name: machineNameSchema, force: z.boolean().default(false) }).strict(),
  /** Retries a removal that left something on the host (REMOVE_INCOMPLETE). */
  'node:cleanup': z.object({ name: machineNameSchema }).strict(),
  /** The latest onboarding run of every machine of the current cluster. */
  'node:runs': z.object({}).strict(),
  /** The last lines of a node's agent log, read over SSH. */
  'node:logs': z.object({ name: machineNameSchema, lines: wholeNumber(1, 2000).default(200) }).strict(),
};

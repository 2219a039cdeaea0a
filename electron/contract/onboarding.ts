import { z } from 'zod';
import type { ErrorEnvelope } from '../../agent/shared/errors.js';
import { machineNameSchema } from './machines.js';
import { wholeNumber } from './numbers.js';

/** The steps of onboarding one machine, in order. Every step is safe to re-run. */
export const onboardingSteps = ['connect', 'preflight', 'packages', 'upload', 'config', 'certificate', 'discovery', 'service', 'verify'] as const;
export type OnboardingStep = (typeof onboardingSteps)[number];

/** The state of one step of a run. */
export type StepState = 'pending' | 'running' | 'done' | 'skipped' | 'failed' | 'cancelled';

/** A progress event: one step of one machine's run changed. */
export interface OnboardingProgress {
  machine: string;
  runId: number;
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

/** The outcome of one machine's run. */
export interface OnboardingResult {
  machine: string;
  runId: number;
  ok: boolean;
  failedStep?: OnboardingStep;
  error?: ErrorEnvelope;
}

/** Requests of the onboarding domain. */
export const onboardingRequests = {
  'node:onboard': z
    .object({
      names: z.array(machineNameSchema).min(1, 'pick at least one machine').max(500),
      concurrency: wholeNumber(1, 32).default(4),
      hostKeys: hostKeyDecisionSchema.default({ trustOnFirstUse: false, accept: {} }),
    })
    .strict(),
  'node:cancel': z.object({ name: machineNameSchema }).strict(),
  'node:remove': z.object({ name: machineNameSchema, force: z.boolean().default(false) }).strict(),
  /** The last lines of a node's agent log, read over SSH. */
  'node:logs': z.object({ name: machineNameSchema, lines: wholeNumber(1, 2000).default(200) }).strict(),
};

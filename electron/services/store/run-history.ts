import type { ErrorEnvelope } from '../../../agent/shared/errors.js';
import type { OnboardingRunView, OnboardingStep, StepState } from '../../contract/onboarding.js';
import type { Db } from './database.js';

/** How many runs of one machine are kept, and how many log lines a run view carries. */
export const RUN_HISTORY_LIMITS = { runsPerMachine: 10, logLines: 500 } as const;

interface RunRow {
  id: number;
  machine: string;
  state: OnboardingRunView['status'];
  failed_step: OnboardingStep | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

function parseError(stored: string | null): ErrorEnvelope | undefined {
  if (stored === null) return undefined;
  try {
    const value = JSON.parse(stored) as Partial<ErrorEnvelope>;
    if (typeof value.code === 'string' && typeof value.message === 'string') return value as ErrorEnvelope;
  } catch {
    // A plain text error (a run interrupted by a crash).
  }
  return { code: 'ONBOARDING_INTERRUPTED', message: stored, hint: 're-run onboarding; finished steps are checked, not repeated' };
}

/**
 * Onboarding runs as the Machines screen shows them, read back from the store (which keeps
 * RUN_HISTORY_LIMITS.runsPerMachine runs of each machine and kind). Settings pushes are not among them:
 * a push leaves the machine onboarded, and reports to the command that applied the settings.
 */
export class RunHistory {
  constructor(private readonly db: Db) {}

  /** The latest onboarding run of each machine of `cluster`, by machine name. */
  latest(cluster: string): OnboardingRunView[] {
    const rows = this.db
      .prepare(
        `SELECT id, machine, state, failed_step, error, started_at, finished_at FROM onboarding_runs
         WHERE id IN (SELECT MAX(id) FROM onboarding_runs WHERE cluster = ? AND kind = 'onboard' GROUP BY machine) ORDER BY machine`,
      )
      .all(cluster) as unknown as RunRow[];
    return rows.map((row) => this.view(row));
  }

  private view(row: RunRow): OnboardingRunView {
    const steps = this.db.prepare('SELECT step, state, percent, log FROM onboarding_steps WHERE run_id = ? ORDER BY rowid').all(row.id) as unknown as Array<{
      step: OnboardingStep;
      state: StepState;
      percent: number;
      log: string;
    }>;
    const log = steps.flatMap((s) => s.log.split('\n').filter((line) => line !== '')).slice(-RUN_HISTORY_LIMITS.logLines);
    const error = parseError(row.error);
    return {
      machine: row.machine,
      runId: row.id,
      status: row.state,
      steps: Object.fromEntries(steps.map((s) => [s.step, s.state])),
      // The runner records each step with the run's percent over the steps that run takes.
      percent: row.state === 'done' ? 100 : Math.max(0, ...steps.map((s) => s.percent)),
      log,
      ...(row.failed_step ? { failedStep: row.failed_step } : {}),
      ...(error ? { error } : {}),
      startedAt: row.started_at,
      ...(row.finished_at ? { finishedAt: row.finished_at } : {}),
    };
  }
}

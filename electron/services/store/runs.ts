import type { OnboardingStep, RunKind, StepState } from '../../contract/onboarding.js';
import type { Db } from './database.js';
import { RUN_HISTORY_LIMITS } from './run-history.js';

/** Whether a process of this machine runs (EPERM: it does, as another user's). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Onboarding runs and their step logs. */
export class RunStore {
  constructor(private readonly db: Db) {}

  /**
   * Records a new run of `kind`, dropping the machine's runs of that kind beyond the newest
   * RUN_HISTORY_LIMITS.runsPerMachine (their steps go with them), so pushes never push out its onboarding runs.
   */
  start(cluster: string, machine: string, kind: RunKind): number {
    const result = this.db
      .prepare("INSERT INTO onboarding_runs (cluster, machine, kind, state, started_at, owner_pid) VALUES (?, ?, ?, 'running', ?, ?)")
      .run(cluster, machine, kind, new Date().toISOString(), process.pid);
    this.db
      .prepare(
        `DELETE FROM onboarding_runs WHERE cluster = ? AND machine = ? AND kind = ? AND id NOT IN
           (SELECT id FROM onboarding_runs WHERE cluster = ? AND machine = ? AND kind = ? ORDER BY id DESC LIMIT ?)`,
      )
      .run(cluster, machine, kind, cluster, machine, kind, RUN_HISTORY_LIMITS.runsPerMachine);
    return Number(result.lastInsertRowid);
  }

  step(runId: number, step: OnboardingStep, state: StepState, percent: number, logLines: string[]): void {
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO onboarding_steps (run_id, step, state, percent, log, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(run_id, step) DO UPDATE SET state = excluded.state, percent = excluded.percent, log = log || excluded.log,
           finished_at = CASE WHEN excluded.state IN ('done', 'skipped', 'failed', 'cancelled') THEN excluded.finished_at ELSE finished_at END`,
      )
      .run(runId, step, state, percent, logLines.map((l) => `${l}\n`).join(''), now, state === 'running' ? null : now);
  }

  finish(runId: number, state: 'done' | 'failed' | 'cancelled', failedStep?: OnboardingStep, error?: string): void {
    this.db
      .prepare('UPDATE onboarding_runs SET state = ?, failed_step = ?, error = ?, finished_at = ? WHERE id = ?')
      .run(state, failedStep ?? null, error ?? null, new Date().toISOString(), runId);
  }

  /**
   * Marks runs left 'running' by a process that is gone (it crashed) as failed. Runs of a process
   * still alive stay: the app onboarding while a CLI command opens the same data dir.
   */
  failInterrupted(alive: (pid: number) => boolean = processAlive): void {
    const running = this.db.prepare("SELECT id, owner_pid FROM onboarding_runs WHERE state = 'running'").all() as Array<{
      id: number;
      owner_pid: number | null;
    }>;
    const mark = this.db.prepare("UPDATE onboarding_runs SET state = 'failed', error = 'interrupted', finished_at = ? WHERE id = ?");
    for (const run of running) if (run.owner_pid === null || !alive(run.owner_pid)) mark.run(new Date().toISOString(), run.id);
  }
}

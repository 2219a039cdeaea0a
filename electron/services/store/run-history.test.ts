import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { onboardingSteps } from '../../contract/onboarding.js';
import { openDatabase, type Db } from './database.js';
import { RUN_HISTORY_LIMITS, RunHistory } from './run-history.js';
import { RunStore } from './runs.js';

describe('onboarding run history in the inventory database', () => {
  let dir: string;
  let db: Db;
  let runs: RunStore;
  const history = () => new RunHistory(db);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'spanwise-runs-'));
    db = openDatabase(dir);
    db.prepare(
      "INSERT INTO clusters (name, cluster_id, secret_sealed, ca_cert, ca_key_sealed, discovery, created_at) VALUES ('lab', 'id', x'00', '', x'00', '{}', '')",
    ).run();
    for (const name of ['cloud1', 'edge1'])
      db.prepare(
        "INSERT INTO machines (cluster, name, site, role, ssh_user, ssh_host, ssh_port, created_at) VALUES ('lab', ?, 'cloud', 'worker', 'root', 'h', 22, '')",
      ).run(name);
    runs = new RunStore(db);
  });
  afterEach(() => db.close());

  it('reads a finished run back as finished, with its steps and log, after the database is opened again', () => {
    const id = runs.start('lab', 'cloud1', 'onboard');
    for (const step of onboardingSteps) {
      runs.step(id, step, 'running', 0, [`${step} started`]);
      runs.step(id, step, step === 'packages' ? 'skipped' : 'done', 0, []);
    }
    runs.finish(id, 'done');
    db.close();
    db = openDatabase(dir);
    const [run] = history().latest('lab');
    expect(run).toMatchObject({ machine: 'cloud1', runId: id, status: 'done', percent: 100 });
    expect(run?.steps).toMatchObject({ connect: 'done', packages: 'skipped', verify: 'done' });
    expect(run?.log).toEqual(onboardingSteps.map((step) => `${step} started`));
    expect(run?.finishedAt).toBeDefined();
  });

  it('shows the latest run of each machine: a failure with its step and error, a run still going with its percent', () => {
    const failed = runs.start('lab', 'cloud1', 'onboard');
    runs.step(failed, 'connect', 'done', 11, []);
    runs.step(failed, 'preflight', 'failed', 11, ['no wireguard']);
    runs.finish(failed, 'failed', 'preflight', JSON.stringify({ code: 'PREFLIGHT_FAILED', message: 'preflight: no wireguard', hint: 'install it' }));
    const running = runs.start('lab', 'edge1', 'onboard');
    runs.step(running, 'connect', 'done', 11, []);
    runs.step(running, 'preflight', 'done', 22, []);
    runs.step(running, 'packages', 'running', 22, []);
    const byMachine = Object.fromEntries(
      history()
        .latest('lab')
        .map((r) => [r.machine, r]),
    );
    expect(byMachine.cloud1).toMatchObject({ status: 'failed', failedStep: 'preflight', error: { code: 'PREFLIGHT_FAILED', hint: 'install it' } });
    expect(byMachine.edge1).toMatchObject({ status: 'running', percent: 22, steps: { packages: 'running' } });
    expect(history().latest('other')).toEqual([]);
  });

  it('a run its process left when it crashed reads as failed with a plain error; a live process keeps its run', () => {
    runs.start('lab', 'edge1', 'onboard');
    runs.failInterrupted();
    expect(history().latest('lab')[0]).toMatchObject({ status: 'running' });
    runs.failInterrupted((pid) => pid !== process.pid);
    expect(history().latest('lab')[0]).toMatchObject({ status: 'failed', error: { code: 'ONBOARDING_INTERRUPTED', message: 'interrupted' } });
  });

  it('keeps only the newest runs of a machine, with their steps', () => {
    const ids = Array.from({ length: RUN_HISTORY_LIMITS.runsPerMachine + 3 }, () => {
      const id = runs.start('lab', 'edge1', 'onboard');
      runs.step(id, 'connect', 'done', 11, ['line']);
      runs.finish(id, 'done');
      return id;
    });
    const kept = db.prepare("SELECT id FROM onboarding_runs WHERE machine = 'edge1' ORDER BY id").all() as Array<{ id: number }>;
    expect(kept.map((r) => r.id)).toEqual(ids.slice(-RUN_HISTORY_LIMITS.runsPerMachine));
    const steps = db.prepare('SELECT COUNT(*) AS n FROM onboarding_steps').get() as { n: number };
    expect(steps.n).toBe(RUN_HISTORY_LIMITS.runsPerMachine);
    expect(history().latest('lab')[0]?.runId).toBe(ids.at(-1));
  });

  it('carries at most the last log lines of a long run', () => {
    const id = runs.start('lab', 'cloud1', 'onboard');
    runs.step(
      id,
      'upload',
      'running',
      0,
      Array.from({ length: RUN_HISTORY_LIMITS.logLines + 20 }, (_, i) => `line ${i}`),
    );
    const log = history().latest('lab')[0]?.log ?? [];
    expect(log).toHaveLength(RUN_HISTORY_LIMITS.logLines);
    expect(log.at(-1)).toBe(`line ${RUN_HISTORY_LIMITS.logLines + 19}`);
  });

  it("leaves settings pushes out of the Machines view, and keeps a machine's onboarding runs however many pushes follow", () => {
    const onboarded = runs.start('lab', 'edge1', 'onboard');
    runs.step(onboarded, 'connect', 'done', 10, []);
    runs.step(onboarded, 'verify', 'failed', 90, ['agent down']);
    runs.finish(onboarded, 'failed', 'verify', JSON.stringify({ code: 'AGENT_NOT_ANSWERING', message: 'verify: agent down' }));
    for (let i = 0; i <= RUN_HISTORY_LIMITS.runsPerMachine; i += 1) {
      const push = runs.start('lab', 'edge1', 'push');
      runs.step(push, 'connect', 'done', 20, []);
      runs.finish(push, 'done');
    }
    runs.step(runs.start('lab', 'edge1', 'push'), 'config', 'running', 40, []);
    runs.step(runs.start('lab', 'cloud1', 'push'), 'connect', 'running', 0, []);
    expect(history().latest('lab')).toEqual([
      expect.objectContaining({ machine: 'edge1', runId: onboarded, status: 'failed', failedStep: 'verify', percent: 90, log: ['agent down'] }),
    ]);
    const pushes = db.prepare("SELECT COUNT(*) AS n FROM onboarding_runs WHERE machine = 'edge1' AND kind = 'push'").get() as { n: number };
    expect(pushes.n).toBe(RUN_HISTORY_LIMITS.runsPerMachine);
  });

  it('reads a run stored without a kind (before runs had one) as an onboarding run', () => {
    db.prepare("INSERT INTO onboarding_runs (cluster, machine, state, started_at) VALUES ('lab', 'cloud1', 'done', '')").run();
    expect(history().latest('lab')).toEqual([expect.objectContaining({ machine: 'cloud1', status: 'done', percent: 100 })]);
  });
});

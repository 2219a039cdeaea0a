import { afterAll, beforeAll } from 'vitest';
import { upLab } from './builder.js';
import { downLab } from './cleanup.js';
import { type LabHost, type LabStatus, findHost } from './status.js';

/** The lab of one test file, filled in by `beforeAll`. */
export interface UsedLab {
  /** Status right after `up` (throws if read before `beforeAll` ran). */
  readonly status: LabStatus;
  /** A host of the scenario, by name. */
  host(name: string): LabHost;
}

/**
 * Brings `scenario` up (fresh) before the file's tests and takes it down after
 * them, even when they fail. Without Linux/root the `beforeAll` fails with the
 * missing prerequisite named, so the tests fail rather than skip.
 *
 *   const lab = useLab('hybrid');
 *   it('...', async () => { await labExec('dc1', 'hostname'); lab.host('dc1').ssh; });
 */
export function useLab(scenario: string, options: { fresh?: boolean } = {}): UsedLab {
  let current: LabStatus | null = null;
  beforeAll(async () => {
    current = await upLab(scenario, { fresh: options.fresh ?? true });
  }, 120_000);
  afterAll(async () => {
    await downLab();
  }, 60_000);
  return {
    get status(): LabStatus {
      if (!current) throw new Error(`lab ${scenario} is not up (did beforeAll fail?)`);
      return current;
    },
    host(name: string): LabHost {
      return findHost(this.status, name);
    },
  };
}

import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Who holds a cluster's serving lock: a process on this machine, and the port it serves. */
export interface LockOwner {
  pid: number;
  port: number;
  token: string;
  startedAt: string;
}

/** The outcome of trying to take the lock. */
export type LockAttempt = { acquired: true; lock: ServingLock } | { acquired: false; owner: LockOwner };

function readOwner(path: string): LockOwner | null {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    return typeof value.pid === 'number' && typeof value.port === 'number' && typeof value.token === 'string' ? (value as LockOwner) : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock file in the data dir that says which process serves a cluster's embedded
 * discovery, so the app and `spanwise web` (or a CLI run) on one data dir never both
 * write its state file, and a CLI run can tell that the app already serves it.
 */
export class ServingLock {
  private constructor(
    readonly path: string,
    private readonly token: string,
  ) {}

  /**
   * Takes the lock unless a live process holds it. `stale(owner)` decides about a
   * holder whose process is alive (its pid may have been reused): true takes over.
   */
  static async acquire(path: string, port: number, stale: (owner: LockOwner) => Promise<boolean>): Promise<LockAttempt> {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const token = randomBytes(8).toString('hex');
    const body = JSON.stringify({ pid: process.pid, port, token, startedAt: new Date().toISOString() } satisfies LockOwner);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        writeFileSync(path, body, { flag: 'wx', mode: 0o600 });
        return { acquired: true, lock: new ServingLock(path, token) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = readOwner(path);
      if (owner && alive(owner.pid) && !(await stale(owner))) return { acquired: false, owner };
      rmSync(path, { force: true });
    }
    const owner = readOwner(path);
    return owner ? { acquired: false, owner } : { acquired: false, owner: { pid: 0, port, token: '', startedAt: '' } };
  }

  /** Removes the lock file if it is still this holder's. */
  release(): void {
    if (readOwner(this.path)?.token === this.token) rmSync(this.path, { force: true });
  }
}

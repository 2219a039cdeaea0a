// FAKE ELECTRON, for tests only: app.requestSingleInstanceLock() between real processes. The first
// holds an exclusive lock file in userData; a later one leaves its argv in a message file for the
// first, which the first turns into 'second-instance'.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const lockName = 'FakeSingletonLock';
const messagePrefix = 'FakeSingletonMessage-';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function takeLock(path: string): boolean {
  try {
    const fd = openSync(path, 'wx', 0o600);
    writeFileSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (alive(Number(readFileSync(path, 'utf8')))) return false;
  rmSync(path, { force: true });
  return takeLock(path);
}

/** Takes the lock, or hands this launch to its holder; calls `onSecondInstance` for every later launch while held. */
export function requestLock(userData: string, onSecondInstance: (argv: string[], workingDirectory: string) => void): boolean {
  mkdirSync(userData, { recursive: true, mode: 0o700 });
  const lock = join(userData, lockName);
  if (!takeLock(lock)) {
    const message = join(userData, `${messagePrefix}${process.pid}`);
    writeFileSync(`${message}.tmp`, JSON.stringify({ argv: process.argv, workingDirectory: process.cwd() }));
    renameSync(`${message}.tmp`, `${message}.json`);
    return false;
  }
  process.on('exit', () => rmSync(lock, { force: true }));
  setInterval(() => {
    for (const name of readdirSync(userData).filter((n) => n.startsWith(messagePrefix) && n.endsWith('.json'))) {
      const path = join(userData, name);
      if (!existsSync(path)) continue;
      const { argv, workingDirectory } = JSON.parse(readFileSync(path, 'utf8')) as { argv: string[]; workingDirectory: string };
      rmSync(path, { force: true });
      onSecondInstance(argv, workingDirectory);
    }
  }, 50).unref();
  return true;
}

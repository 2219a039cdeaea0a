import { spawn } from 'node:child_process';
import { closeSync, openSync, renameSync, statSync } from 'node:fs';
import type { Logger } from '../shared/log.js';

/** Where a supervised child's output goes: inherited, or appended to a file rotated at 10 MB. */
export interface SuperviseOptions {
  logFile?: string;
}

const ROTATE_BYTES = 10 * 1024 * 1024;

function childOutput(logFile: string | undefined): { stdio: 'inherit' | ['ignore', number, number]; close(): void } {
  if (!logFile) return { stdio: 'inherit', close: () => {} };
  try {
    if (statSync(logFile).size > ROTATE_BYTES) renameSync(logFile, `${logFile}.1`);
  } catch {
    // no log yet
  }
  const fd = openSync(logFile, 'a', 0o600);
  return { stdio: ['ignore', fd, fd], close: () => closeSync(fd) };
}

/**
 * Runs `argv` as a child and restarts it when it fails (exit code not 0), with backoff from 1 s to
 * 60 s, reset after a minute of uptime: `Restart=on-failure` for hosts without systemd. On SIGTERM or
 * SIGINT the child is stopped, then `onStop` runs (cleanup), then this resolves.
 */
export function supervise(argv: readonly string[], log: Logger, onStop: () => Promise<void>, options: SuperviseOptions = {}): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    let backoff = 1000;
    let child: ReturnType<typeof spawn> | undefined;
    let restart: NodeJS.Timeout | undefined;
    const start = () => {
      restart = undefined;
      if (stopping) return;
      const startedAt = Date.now();
      const output = childOutput(options.logFile);
      child = spawn(process.execPath, [...process.execArgv, ...argv], { stdio: output.stdio });
      output.close();
      child.on('exit', (code, signal) => {
        child = undefined;
        if (stopping) return void onStop().then(() => resolve(0));
        if (code === 0) return void onStop().then(() => resolve(0));
        if (Date.now() - startedAt > 60_000) backoff = 1000;
        log.warn('child exited; restarting', { code: code ?? undefined, signal: signal ?? undefined, inMs: backoff });
        restart = setTimeout(start, backoff);
        backoff = Math.min(backoff * 2, 60_000);
      });
    };
    const stop = () => {
      stopping = true;
      if (restart) clearTimeout(restart);
      if (child) child.kill('SIGTERM');
      else void onStop().then(() => resolve(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    start();
  });
}

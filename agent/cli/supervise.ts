import { spawn } from 'node:child_process';
import type { Logger } from '../lib/log.js';

/**
 * Runs `argv` as a child and restarts it when it fails (exit code not 0), with backoff from 1 s to
 * 60 s, reset after a minute of uptime: `Restart=on-failure` for hosts without systemd. On SIGTERM or
 * SIGINT the child is stopped, then `onStop` runs (cleanup), then this resolves.
 */
export function supervise(argv: readonly string[], log: Logger, onStop: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    let backoff = 1000;
    let child: ReturnType<typeof spawn> | undefined;
    const start = () => {
      const startedAt = Date.now();
      child = spawn(process.execPath, [...process.execArgv, ...argv], { stdio: 'inherit' });
      child.on('exit', (code, signal) => {
        child = undefined;
        if (stopping) return void onStop().then(() => resolve(0));
        if (code === 0) return void onStop().then(() => resolve(0));
        if (Date.now() - startedAt > 60_000) backoff = 1000;
        log.warn('agent exited; restarting', { code: code ?? undefined, signal: signal ?? undefined, inMs: backoff });
        setTimeout(start, backoff);
        backoff = Math.min(backoff * 2, 60_000);
      });
    };
    const stop = () => {
      stopping = true;
      if (child) child.kill('SIGTERM');
      else void onStop().then(() => resolve(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    start();
  });
}

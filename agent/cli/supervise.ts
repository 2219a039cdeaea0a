import { spawn } from 'node:child_process';
import type { Logger } from '../shared/log.js';
import type { RotatingLog } from './rotating-log.js';

/** Where a supervised child's output goes: inherited, or piped through this process into a rotating log file. */
export interface SuperviseOptions {
  log?: RotatingLog;
}

const LOG_LINE = /^(\d{4}-\d\d-\d\dT[\d:.]+Z |\{)/;

/**
 * Splits a child's output into lines for the log file: the agent's own log lines (time first, or
 * JSON) as they are; anything else (a fatal error, a crash trace) with the time and `level` put
 * in front, so every line of the file has both.
 */
function stampLines(level: 'info' | 'error', log: RotatingLog): { write(chunk: Buffer): void; end(): void } {
  let rest = '';
  const line = (text: string) => log.write(LOG_LINE.test(text) ? `${text}\n` : `${new Date().toISOString()} ${level} ${text}\n`);
  return {
    write(chunk) {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      lines.forEach(line);
    },
    end() {
      if (rest) line(rest);
      rest = '';
    },
  };
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
      child = spawn(process.execPath, [...process.execArgv, ...argv], { stdio: options.log ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
      const file = options.log;
      const outputs = file ? [stampLines('info', file), stampLines('error', file)] : [];
      [child.stdout, child.stderr].forEach((stream, i) => stream?.on('data', (chunk: Buffer) => outputs[i]?.write(chunk)));
      child.on('close', (code, signal) => {
        for (const output of outputs) output.end();
        child = undefined;
        if (stopping || code === 0) return void onStop().then(() => resolve(0));
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

import { writeFileSync, rmSync } from 'node:fs';
import type { Command } from '../shared/cli.js';
import { requireString } from '../shared/cli.js';
import { UsageError } from '../shared/errors.js';
import { logProcessWarnings, sinkLogger, stderrLogger } from '../shared/log.js';
import { DEFAULT_ROTATION, RotatingLog } from './rotating-log.js';
import { supervise } from './supervise.js';

/** A whole-number flag of at least `min`, or `fallback` when not given. */
function atLeast(values: Record<string, unknown>, name: string, min: number, fallback: number): number {
  const text = values[name];
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name}: '${String(text)}' is not a whole number of at least ${min}`);
  return n;
}

/**
 * `spanwise-agent supervise --pid-file F [--log-file F] -- SUBCOMMAND...`: keeps an agent subcommand
 * (`run`, `discovery serve`) running on hosts without systemd. With --log-file, the child's output
 * and the supervisor's own lines go to that file, rotated by size while running. For `run`, the
 * mesh is cleaned up on stop, as the systemd unit's ExecStopPost does.
 */
export const superviseCommand: Command = {
  path: ['supervise'],
  summary: 'keep an agent subcommand running where there is no systemd (restart on failure, pid file, rotated log file)',
  usage: '--pid-file FILE [--log-file FILE [--log-max-bytes N] [--log-keep N]] -- run --config FILE | discovery serve ...',
  options: { 'pid-file': { type: 'string' }, 'log-file': { type: 'string' }, 'log-max-bytes': { type: 'string' }, 'log-keep': { type: 'string' } },
  optionHelp: {
    'log-file': { description: 'append the output here (0600), rotated by size', value: 'FILE' },
    'log-max-bytes': { description: 'rotate the log file at this size', default: String(DEFAULT_ROTATION.maxBytes), value: 'N' },
    'log-keep': { description: 'rotated files to keep (FILE.1 newest)', default: String(DEFAULT_ROTATION.keep), value: 'N' },
  },
  positionals: true,
  async run(values, positionals) {
    const pidFile = requireString(values, 'pid-file');
    if (!['run', 'discovery'].includes(positionals[0] ?? ''))
      throw new UsageError("give the subcommand to supervise after '--', e.g. -- run --config /etc/spanwise/agent.yaml");
    const rotation = {
      maxBytes: atLeast(values, 'log-max-bytes', 256, DEFAULT_ROTATION.maxBytes),
      keep: atLeast(values, 'log-keep', 1, DEFAULT_ROTATION.keep),
    };
    const configAt = positionals.indexOf('--config');
    const configPath = configAt >= 0 ? positionals[configAt + 1] : undefined;
    // Loaded on use, so the long-lived supervisor holds only what it needs.
    const { loadAgentConfig } = await import('../config/load.js');
    const { cleanupMesh } = await import('./mesh-cleanup.js');
    const runtimeDir = positionals[0] === 'run' && configPath ? (await loadAgentConfig(configPath)).runtimeDir : null;
    const logFile = values['log-file'] as string | undefined;
    const file = logFile ? new RotatingLog(logFile, rotation) : undefined;
    const log = file ? sinkLogger({ format: 'text', journal: false, write: (line) => file.write(line) }) : stderrLogger(false);
    logProcessWarnings(log);
    writeFileSync(pidFile, `${process.pid}\n`);
    try {
      return await supervise(
        [process.argv[1] ?? '', ...positionals],
        log,
        () => (runtimeDir ? cleanupMesh(runtimeDir) : Promise.resolve()),
        file ? { log: file } : {},
      );
    } finally {
      rmSync(pidFile, { force: true });
      file?.close();
    }
  },
};

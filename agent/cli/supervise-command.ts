import { rmSync, writeFileSync } from 'node:fs';
import type { Command } from '../shared/cli.js';
import { requireString } from '../shared/cli.js';
import { UsageError } from '../shared/errors.js';
import { stderrLogger } from '../shared/log.js';
import { supervise } from './supervise.js';

/**
 * `spanwise-agent supervise --pid-file F [--log-file F] -- SUBCOMMAND...`: keeps an agent subcommand
 * (`run`, `discovery serve`) running on hosts without systemd. For `run`, the mesh is cleaned up on stop,
 * as the systemd unit's ExecStopPost does.
 */
export const superviseCommand: Command = {
  path: ['supervise'],
  summary: 'keep an agent subcommand running where there is no systemd (restart on failure, pid file, log file)',
  usage: '--pid-file FILE [--log-file FILE] -- run --config FILE | discovery serve ...',
  options: { 'pid-file': { type: 'string' }, 'log-file': { type: 'string' } },
  positionals: true,
  async run(values, positionals) {
    const pidFile = requireString(values, 'pid-file');
    if (!['run', 'discovery'].includes(positionals[0] ?? ''))
      throw new UsageError("give the subcommand to supervise after '--', e.g. -- run --config /etc/spanwise/agent.yaml");
    const configAt = positionals.indexOf('--config');
    const configPath = configAt >= 0 ? positionals[configAt + 1] : undefined;
    // Loaded on use, so the long-lived supervisor holds only what it needs.
    const { loadAgentConfig } = await import('../config/load.js');
    const { cleanupMesh } = await import('./mesh-cleanup.js');
    const runtimeDir = positionals[0] === 'run' && configPath ? (await loadAgentConfig(configPath)).runtimeDir : null;
    writeFileSync(pidFile, `${process.pid}\n`);
    const log = stderrLogger(false);
    const logFile = values['log-file'] as string | undefined;
    try {
      return await supervise(
        [process.argv[1] ?? '', ...positionals],
        log,
        () => (runtimeDir ? cleanupMesh(runtimeDir) : Promise.resolve()),
        logFile ? { logFile } : {},
      );
    } finally {
      rmSync(pidFile, { force: true });
    }
  },
};

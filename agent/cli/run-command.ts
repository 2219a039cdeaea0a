import type { Command } from '../shared/cli.js';
import { requireString } from '../shared/cli.js';
import { stderrLogger } from '../shared/log.js';

/** `spanwise-agent run --config FILE`: validates the config first, then runs until SIGTERM/SIGINT. */
export const runCommand: Command = {
  path: ['run'],
  summary: 'run the node agent (identity, discovery, WireGuard mesh, agent API)',
  usage: '--config FILE [--dry-run] [--verbose]  (without systemd: spanwise-agent supervise --pid-file F -- run --config FILE)',
  options: {
    config: { type: 'string', short: 'c' },
    'dry-run': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
  async run(values) {
    const path = requireString(values, 'config');
    // Loaded on use: a process loads only what its command needs (the daemon stays small).
    const { loadAgentConfig } = await import('../config/load.js');
    const { startAgentProcess } = await import('./agent-process.js');
    const config = await loadAgentConfig(path);
    const log = stderrLogger(values.verbose === true);
    const running = await startAgentProcess(config, log, { dryRun: values['dry-run'] === true });
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    log.info('agent stopping');
    await running.stop();
    // gRPC channels may keep the loop alive for a while; the agent is done.
    setTimeout(() => process.exit(0), 1000).unref();
    return 0;
  },
};

import { setFlagsFromString } from 'node:v8';
import type { Command } from '../shared/cli.js';
import { requireString } from '../shared/cli.js';
import { AGENT_V8_FLAGS } from '../shared/agent-launch.js';
import { logProcessWarnings, parseLogFormat, stderrLogger } from '../shared/log.js';
import { notifyService } from './service-notify.js';

const STOP_DEADLINE_MS = 10_000;

/**
 * `spanwise-agent run --config FILE`: validates the config first, then runs until SIGTERM/SIGINT.
 * Under systemd (`Type=notify`) it reports READY=1 once the agent API listens and every controller
 * has run once, and STOPPING=1 when it starts to shut down.
 */
export const runCommand: Command = {
  path: ['run'],
  summary: 'run the node agent (identity, discovery, WireGuard mesh, agent API)',
  usage: '--config FILE [--dry-run] [--verbose] [--log-format text|json]  (without systemd: spanwise-agent supervise --pid-file F -- run --config FILE)',
  options: {
    config: { type: 'string', short: 'c' },
    'dry-run': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    'log-format': { type: 'string', default: 'text' },
  },
  async run(values) {
    const path = requireString(values, 'config');
    for (const flag of AGENT_V8_FLAGS) setFlagsFromString(flag);
    const log = stderrLogger(values.verbose === true, parseLogFormat(values['log-format']));
    logProcessWarnings(log);
    // Loaded on use: a process loads only what its command needs (the daemon stays small).
    const { loadAgentConfig } = await import('../config/load.js');
    const { startAgentProcess } = await import('./agent-process.js');
    const config = await loadAgentConfig(path);
    const running = await startAgentProcess(config, log, { dryRun: values['dry-run'] === true });
    void running.agent.runtime.firstPass.then(() => notifyService('READY=1', 'serving the agent API', log));
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    log.info('agent stopping');
    await notifyService('STOPPING=1', 'stopping', log);
    // Within the unit's TimeoutStopSec= (15 s), and the supervisor's wait: the mesh is cleaned up after the exit either way.
    const deadline = new Promise<false>((resolve) => setTimeout(() => resolve(false), STOP_DEADLINE_MS).unref());
    if (!(await Promise.race([running.stop().then(() => true), deadline]))) {
      log.error('agent did not stop in time; exiting', { afterMs: STOP_DEADLINE_MS });
      process.exit(1);
    }
    // gRPC channels may keep the loop alive for a while; the agent is done.
    setTimeout(() => process.exit(0), 1000).unref();
    return 0;
  },
};

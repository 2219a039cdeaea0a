import type { Command } from '../shared/cli.js';
import { requireString } from '../shared/cli.js';
import { SpanwiseError } from '../shared/errors.js';
import { hostPaths } from '../shared/host-paths.js';

/** `spanwise-agent cleanup`: undoes everything the agent programmed (safe to run twice). */
export const cleanupCommand: Command = {
  path: ['cleanup'],
  summary: 'remove the kubespan link, its routes, rules and nftables chains',
  usage: '[--config FILE]',
  options: { config: { type: 'string', short: 'c' } },
  async run(values) {
    const { loadAgentConfig } = await import('../config/load.js');
    const { cleanupMesh } = await import('./mesh-cleanup.js');
    const runtimeDir = typeof values.config === 'string' ? (await loadAgentConfig(values.config)).runtimeDir : hostPaths.runtimeDir;
    await cleanupMesh(runtimeDir);
    process.stdout.write('removed the kubespan link, table 180 routes, rule 32500 and the nftables table\n');
  },
};

/** `spanwise-agent leave`: deletes this node's affiliate from every discovery service. */
export const leaveCommand: Command = {
  path: ['leave'],
  summary: "delete this node's affiliate from the discovery services",
  usage: '--config FILE',
  options: { config: { type: 'string', short: 'c' } },
  async run(values) {
    const { loadAgentConfig } = await import('../config/load.js');
    const { leaveDiscovery } = await import('../controllers/discovery.js');
    const { loadOrCreateNodeId } = await import('../system/identity-files.js');
    const { grpcDiscovery, readDiscoveryCa } = await import('./agent-process.js');
    const config = await loadAgentConfig(requireString(values, 'config'));
    const nodeId = await loadOrCreateNodeId(config.stateDir);
    const errors = await leaveDiscovery(config, grpcDiscovery(await readDiscoveryCa(config)), nodeId);
    if (errors.length)
      throw new SpanwiseError(
        'LEAVE_FAILED',
        `could not delete the affiliate from: ${errors.join('; ')}`,
        'retry when the discovery service is reachable; it expires by itself within 30 minutes',
      );
    process.stdout.write(`deleted affiliate ${nodeId} from ${config.discovery.endpoints.length} discovery service(s)\n`);
  },
};

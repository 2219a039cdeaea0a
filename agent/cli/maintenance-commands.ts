import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadAgentConfig } from '../config/load.js';
import { leaveDiscovery } from '../controllers/discovery.js';
import type { Command } from '../lib/cli.js';
import { requireString } from '../lib/cli.js';
import { SpanwiseError } from '../lib/errors.js';
import { systemClock } from '../lib/clock.js';
import { ExecRunner } from '../system/command.js';
import { loadOrCreateNodeId } from '../system/identity-files.js';
import { KernelLink } from '../wireguard/kernel-link.js';
import { LinuxBackend } from '../wireguard/linux-backend.js';
import { grpcDiscovery } from './agent-process.js';

/** Removes the mesh link, table 180 routes, rule 32500, the nftables table and the key files. */
export async function cleanupMesh(runtimeDir: string): Promise<void> {
  const runner = new ExecRunner();
  await new LinuxBackend({ runner, link: new KernelLink(runner), clock: systemClock, keyDir: runtimeDir }).remove();
  await rm(join(runtimeDir, 'kubespan.key'), { force: true });
  await rm(join(runtimeDir, 'kubespan.psk'), { force: true });
}

/** `spanwise-agent cleanup`: undoes everything the agent programmed (safe to run twice). */
export const cleanupCommand: Command = {
  path: ['cleanup'],
  summary: 'remove the kubespan link, its routes, rules and nftables chains',
  usage: '[--config FILE]',
  options: { config: { type: 'string', short: 'c' } },
  async run(values) {
    const runtimeDir = typeof values.config === 'string' ? (await loadAgentConfig(values.config)).runtimeDir : '/run/spanwise';
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
    const config = await loadAgentConfig(requireString(values, 'config'));
    const nodeId = await loadOrCreateNodeId(config.stateDir);
    const errors = await leaveDiscovery(config, grpcDiscovery, nodeId);
    if (errors.length) throw new SpanwiseError('LEAVE_FAILED', `could not delete the affiliate from: ${errors.join('; ')}`, 'retry when the discovery service is reachable; it expires by itself within 30 minutes');
    process.stdout.write(`deleted affiliate ${nodeId} from ${config.discovery.endpoints.length} discovery service(s)\n`);
  },
};

import type { Command } from '../lib/cli.js';
import { requireString } from '../lib/cli.js';
import { UsageError } from '../lib/errors.js';
import { outputFormat, outputOptions, renderOutput, tableText } from '../lib/output-format.js';
import { deriveNodeAddressing } from '../lib/ula.js';

/** `spanwise-agent identity derive`: the cluster /64 and node address from a cluster id and a MAC. */
export const identityDeriveCommand: Command = {
  path: ['identity', 'derive'],
  summary: 'print the KubeSpan subnet and node address for a cluster id and a MAC',
  usage: '--cluster-id ID --mac MAC [-o yaml|json|table]',
  options: {
    'cluster-id': { type: 'string' },
    mac: { type: 'string' },
    ...outputOptions,
  },
  async run(values) {
    const format = outputFormat(values, 'yaml');
    const clusterId = requireString(values, 'cluster-id');
    const mac = requireString(values, 'mac');
    let derived;
    try {
      derived = deriveNodeAddressing(clusterId, mac);
    } catch (error) {
      throw new UsageError(`--mac: ${(error as Error).message}`);
    }
    process.stdout.write(renderOutput(format, derived, { table: () => tableText(['subnet', 'address'], [[derived.subnet, derived.address]]) }));
  },
};

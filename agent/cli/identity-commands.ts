import type { Command } from '../shared/cli.js';
import { requireString } from '../shared/cli.js';
import { UsageError } from '../shared/errors.js';
import { outputFormat, outputOptionHelp, outputOptions, renderOutput, tableText } from '../shared/output-format.js';
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
  optionHelp: {
    'cluster-id': { description: 'the cluster id (as in the agent config)', value: 'ID' },
    mac: { description: 'the MAC of the link the node address derives from', value: 'MAC' },
    ...outputOptionHelp,
    output: { ...outputOptionHelp.output, default: 'yaml' },
  },
  examples: ['spanwise-agent identity derive --cluster-id ID --mac 2e:1a:b6:53:81:69 -o json'],
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

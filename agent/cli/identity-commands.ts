import type { Command } from '../lib/cli.js';
import { requireString } from '../lib/cli.js';
import { UsageError } from '../lib/errors.js';
import { deriveNodeAddressing } from '../lib/ula.js';

/** `spanwise-agent identity derive`: the cluster /64 and node address from a cluster id and a MAC. */
export const identityDeriveCommand: Command = {
  path: ['identity', 'derive'],
  summary: 'print the KubeSpan subnet and node address for a cluster id and a MAC',
  usage: '--cluster-id ID --mac MAC [-o yaml|json]',
  options: {
    'cluster-id': { type: 'string' },
    mac: { type: 'string' },
    output: { type: 'string', short: 'o', default: 'yaml' },
  },
  async run(values) {
    const clusterId = requireString(values, 'cluster-id');
    const mac = requireString(values, 'mac');
    let derived;
    try {
      derived = deriveNodeAddressing(clusterId, mac);
    } catch (error) {
      throw new UsageError(`--mac: ${(error as Error).message}`);
    }
    const output = values.output;
    if (output === 'json') process.stdout.write(`${JSON.stringify(derived)}\n`);
    else if (output === 'yaml' || output === 'table') process.stdout.write(`subnet: ${derived.subnet}\naddress: ${derived.address}\n`);
    else throw new UsageError('-o must be yaml or json');
  },
};

import type { Command } from '../../agent/lib/cli.js';
import { UsageError } from '../../agent/lib/errors.js';
import { alignColumns } from '../../agent/lib/table.js';
import type { ClusterMember, ClusterMembers } from '../contract/clusters.js';
import { parseClusterName } from './cluster-commands.js';
import { dataDirOption } from './options.js';
import { print, withServices } from './services.js';

function table(result: ClusterMembers): string {
  const rows = result.members.map((m: ClusterMember) => [m.nodename || m.hostname || `(${m.status})`, m.machine ?? '-', m.operatingSystem || '-', m.meshAddress ?? '-', m.endpoints.join(',') || '-']);
  const header = ['MEMBER', 'MACHINE', 'OS', 'MESH ADDRESS', 'ENDPOINTS'];
  const summary = `${result.members.length} member(s) of ${result.cluster} in ${result.discovery}; MACHINE '-' = joined without this inventory (a Talos node, for instance)`;
  return [summary, ...alignColumns([header, ...rows])].join('\n');
}

/** `spanwise cluster members [NAME]`: the cluster's members as its discovery service lists them. */
export const membersCommand: Command = {
  path: ['cluster', 'members'],
  summary: "list the members the cluster's discovery service knows, decrypted here (the current cluster by default)",
  usage: '[NAME] [--json]',
  options: { ...dataDirOption, json: { type: 'boolean' } },
  positionals: true,
  async run(values, positionals) {
    if (positionals.length > 1) throw new UsageError('give at most one cluster NAME');
    const name = positionals[0] === undefined ? undefined : parseClusterName(positionals[0]);
    const result = await withServices(values, (s) => s.members.members(name));
    print(values, result, () => table(result));
  },
};

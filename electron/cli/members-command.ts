import type { Command } from '../../agent/shared/cli.js';
import { UsageError } from '../../agent/shared/errors.js';
import { outputFormat, tableText } from '../../agent/shared/output-format.js';
import type { ClusterMember, ClusterMembers } from '../contract/clusters.js';
import { withClient } from './client.js';
import { dataHelp, dataOptions } from './options.js';
import { print } from './output.js';

function table(result: ClusterMembers, wide: boolean): string {
  const header = ['member', 'machine', 'os', 'mesh address', 'endpoints', ...(wide ? ['status', 'hostname', 'public key'] : [])];
  const rows = result.members.map((m: ClusterMember) => [
    m.nodename || m.hostname || `(${m.status})`,
    m.machine ?? '-',
    m.operatingSystem || '-',
    m.meshAddress ?? '-',
    m.endpoints.join(',') || '-',
    ...(wide ? [m.status, m.hostname || '-', m.publicKey ?? '-'] : []),
  ]);
  const summary = `${result.members.length} member(s) of ${result.cluster} in ${result.discovery}; MACHINE '-' = not managed by Spanwise (a Talos node, or a node onboarded elsewhere); OS as the member published it`;
  return `${summary}\n${tableText(header, rows)}`;
}

/** `spanwise cluster members [NAME]`: the cluster's members as its discovery service lists them. */
export const membersCommand: Command = {
  path: ['cluster', 'members'],
  summary: "list the members the cluster's discovery service knows, decrypted here (the current cluster by default)",
  usage: '[NAME] [-o table|wide|json|yaml]',
  options: { ...dataOptions },
  optionHelp: { ...dataHelp },
  examples: ['spanwise cluster members', 'spanwise cluster members prod -o wide'],
  positionals: true,
  async run(values, positionals) {
    const format = outputFormat(values);
    if (positionals.length > 1) throw new UsageError('give at most one cluster NAME');
    const result = await withClient(values, (c) => c.invoke('cluster:members', positionals[0] === undefined ? {} : { name: positionals[0] }, { name: 'NAME' }));
    print(format, result, { table: () => table(result, false), wide: () => table(result, true) });
  },
};

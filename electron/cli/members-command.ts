import type { Command } from '../../agent/lib/cli.js';
import { UsageError } from '../../agent/lib/errors.js';
import { clusterNameSchema, type ClusterMember, type ClusterMembers } from '../contract/clusters.js';
import { dataDirOption } from './options.js';
import { print, withServices } from './services.js';

function table(result: ClusterMembers): string {
  const rows = result.members.map((m: ClusterMember) => [m.nodename || m.hostname || `(${m.status})`, m.machine ?? '-', m.operatingSystem || '-', m.meshAddress ?? '-', m.endpoints.join(',') || '-']);
  const header = ['MEMBER', 'MACHINE', 'OS', 'MESH ADDRESS', 'ENDPOINTS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('   ');
  const summary = `${result.members.length} member(s) of ${result.cluster} in ${result.discovery}; MACHINE '-' = joined without this inventory (a Talos node, for instance)`;
  return [summary, line(header), ...rows.map(line)].join('\n');
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
    const parsed = positionals[0] === undefined ? undefined : clusterNameSchema.safeParse(positionals[0]);
    if (parsed && !parsed.success) throw new UsageError(`NAME: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const result = await withServices(values, (s) => s.members.members(parsed?.data));
    print(values, result, () => table(result));
  },
};

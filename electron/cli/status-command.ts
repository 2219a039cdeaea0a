import type { Command } from '../../agent/lib/cli.js';
import type { ClusterStatus } from '../contract/status.js';
import { dataDirOption } from './options.js';
import { print, withServices } from './services.js';

function table(status: ClusterStatus): string {
  const lines = [`cluster ${status.cluster.name}  discovery ${status.cluster.discovery}`];
  for (const node of status.nodes) {
    const agent = node.agent.reachable ? `agent ${node.agent.version} (${node.agent.via})` : `agent unreachable${node.agent.error ? `: ${node.agent.error}` : ''}`;
    lines.push(`${node.name}  ${node.site}/${node.role}  ${agent}  ${node.address ?? ''}`);
    for (const peer of node.peers) lines.push(`    -> ${peer.name.padEnd(16)} ${peer.state.padEnd(8)} ${peer.endpoint ?? '-'}  rx ${peer.rx} tx ${peer.tx}  handshake ${peer.lastHandshake ?? 'never'}`);
  }
  return lines.join('\n');
}

/** `spanwise status`: every node's agent and peers. */
export const statusCommand: Command = {
  path: ['status'],
  summary: "show every node's agent (direct or through SSH) and its peers",
  usage: '[--json]',
  options: { ...dataDirOption, json: { type: 'boolean' } },
  async run(values) {
    const status = await withServices(values, (s) => s.status.status());
    print(values, status, () => table(status));
  },
};

import type { Command } from '../../agent/shared/cli.js';
import { outputFormat, tableText } from '../../agent/shared/output-format.js';
import type { ClusterStatus } from '../contract/status.js';
import { withClient } from './client.js';
import { dataHelp, dataOptions } from './options.js';
import { EXIT_UNHEALTHY, print } from './output.js';

function table(status: ClusterStatus, wide: boolean): string {
  const head = `cluster ${status.cluster.name}  discovery ${status.cluster.discovery}  health ${status.health.score} (${status.health.verdict})\n`;
  const nodes = tableText(
    ['node', 'site', 'role', 'agent', 'via', 'address', ...(wide ? ['public key', 'error'] : [])],
    status.nodes.map((n) => [
      n.name,
      n.site,
      n.role,
      n.managed === false ? 'not managed' : n.agent.reachable ? (n.agent.version ?? '?') : 'unreachable',
      n.agent.via ?? '-',
      n.address ?? '-',
      ...(wide ? [n.publicKey ?? '-', n.agent.error ?? '-'] : []),
    ]),
  );
  const peers = status.nodes.flatMap((n) =>
    n.peers.map((p) => [
      n.name,
      p.name,
      p.state,
      p.endpoint ?? '-',
      String(p.rx),
      String(p.tx),
      p.lastHandshake ?? 'never',
      p.rttMs === null ? '-' : `${p.rttMs} ms`,
      ...(wide ? [p.publicKey] : []),
    ]),
  );
  const peerTable = peers.length
    ? `\n${tableText(['node', 'peer', 'state', 'endpoint', 'rx', 'tx', 'handshake', 'rtt', ...(wide ? ['public key'] : [])], peers)}`
    : '';
  return `${head}${status.nodes.length ? nodes : 'no nodes yet\n'}${peerTable}`;
}

/**
 * What makes the cluster unhealthy for a script: agents it cannot reach and peers that are down, a member
 * not managed included; a member not managed has no agent, and its unknown view of its peers is no problem.
 */
export function statusProblems(status: ClusterStatus): string[] {
  const unreachable = status.nodes
    .filter((n) => !n.agent.reachable && n.managed !== false)
    .map((n) => `${n.name}: agent unreachable${n.agent.error ? ` (${n.agent.error})` : ''}`);
  const down = status.nodes.flatMap((n) => n.peers.filter((p) => p.state === 'down').map((p) => `${n.name} -> ${p.name}: peer down`));
  return [...unreachable, ...down];
}

/** Pairs that are up but fragile, with why: shown, but no failure (the exit code stays 0). */
export function fragilePeers(status: ClusterStatus): string[] {
  return status.health.pairs.filter((p) => p.state === 'fragile').map((p) => `${p.from} -> ${p.to}: ${p.reasons.join(', ')}`);
}

/** `spanwise status`: every node's agent and peers; exits 3 when an agent is unreachable or a peer is down (a fragile pair is shown, exit 0). */
export const statusCommand: Command = {
  path: ['status'],
  summary: "show every node's agent (direct or through SSH) and its peers; exit 3 when an agent is unreachable or a peer is down",
  usage: '[-o table|wide|json|yaml]',
  options: { ...dataOptions },
  optionHelp: { ...dataHelp },
  examples: ['spanwise status', 'spanwise status -o wide', 'spanwise status -o json || echo unhealthy'],
  async run(values) {
    const format = outputFormat(values);
    const status = await withClient(values, (c) => c.invoke('status:get', {}));
    print(format, status, { table: () => table(status, false), wide: () => table(status, true) });
    const problems = statusProblems(status);
    const fragile = fragilePeers(status);
    if (fragile.length > 0 && format !== 'json' && format !== 'yaml')
      process.stderr.write(`fragile (up, but would break easily):\n${fragile.map((p) => `  ${p}`).join('\n')}\n`);
    if (problems.length === 0) return 0;
    if (format !== 'json' && format !== 'yaml') process.stderr.write(`unhealthy:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
    return EXIT_UNHEALTHY;
  },
};

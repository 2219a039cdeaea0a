import type { Command } from '../../agent/shared/cli.js';
import { UsageError } from '../../agent/shared/errors.js';
import { outputFormat, tableText } from '../../agent/shared/output-format.js';
import type { ClusterSummary, DiscoveryPlacement } from '../contract/clusters.js';
import { withClient, type FlagMap } from './client.js';
import { dataHelp, dataOptions, numberFlag, onePositional } from './options.js';
import { print } from './output.js';
import { readTalosFile, talosImportText, talosPatchCommand } from './talos-commands.js';

const nameFlag: FlagMap = { name: 'NAME' };
const createFlags: FlagMap = {
  name: 'NAME',
  'discovery.port': '--discovery-port',
  'discovery.node': '--discovery-on',
  'discovery.address': '--discovery-address',
  'discovery.url': '--discovery-url',
};

const fromTalosFlags: FlagMap = { name: 'NAME', config: '--from-talos' };

/** The discovery placement the flags choose; the contract checks the values. */
function placement(values: Record<string, unknown>): DiscoveryPlacement {
  const chosen = ['discovery-on', 'discovery-embedded', 'discovery-url'].filter((flag) => values[flag] !== undefined);
  if (chosen.length > 1) throw new UsageError(`choose one of --${chosen.join(', --')}`);
  if (values['discovery-port'] !== undefined && values['discovery-url'])
    throw new UsageError('--discovery-port goes with --discovery-on or --discovery-embedded (a URL carries its own port)');
  if (values['discovery-address'] !== undefined && !values['discovery-embedded']) throw new UsageError('--discovery-address goes with --discovery-embedded');
  if (values['discovery-insecure'] && (values['discovery-embedded'] || values['discovery-url']))
    throw new UsageError('--discovery-insecure goes with discovery on a node (the embedded one is always plain h2c; a URL says http:// or https://)');
  const port = numberFlag(values['discovery-port']) ?? 3000;
  if (values['discovery-url']) return { mode: 'url', url: String(values['discovery-url']) };
  if (values['discovery-embedded']) return { mode: 'embedded', port, ...(values['discovery-address'] ? { address: String(values['discovery-address']) } : {}) };
  return {
    mode: 'node',
    port,
    ...(values['discovery-on'] ? { node: String(values['discovery-on']) } : {}),
    ...(values['discovery-insecure'] ? { tls: false } : {}),
  };
}

function discoveryText(d: DiscoveryPlacement): string {
  if (d.mode === 'url') return d.url;
  if (d.mode === 'node') return `on ${d.node ?? 'first cloud node'}:${d.port}${d.tls === false ? ' (plain h2c)' : ' (TLS)'}`;
  return `in this app, port ${d.port}${d.address ? `, nodes use ${d.address}` : ''}`;
}

const clusterTable = (clusters: ClusterSummary[], wide = false) =>
  tableText(
    ['current', 'name', 'machines', 'discovery', ...(wide ? ['cluster id', 'created'] : [])],
    clusters.map((c) => [c.current ? '*' : '', c.name, String(c.machineCount), discoveryText(c.discovery), ...(wide ? [c.clusterId, c.createdAt] : [])]),
  );

/** `spanwise cluster ...` */
export const clusterCommands: Command[] = [
  {
    path: ['cluster', 'create'],
    summary: 'create a cluster (id, 32-byte secret, agent API CA) and select it',
    usage:
      'NAME [--discovery-on NODE [--discovery-insecure] | --discovery-embedded [--discovery-address HOST] | --discovery-url URL | --from-talos FILE] [--discovery-port N] [-o FORMAT]',
    options: {
      ...dataOptions,
      'discovery-on': { type: 'string' },
      'discovery-insecure': { type: 'boolean' },
      'discovery-embedded': { type: 'boolean' },
      'discovery-address': { type: 'string' },
      'discovery-url': { type: 'string' },
      'discovery-port': { type: 'string' },
      'from-talos': { type: 'string' },
    },
    optionHelp: {
      ...dataHelp,
      'discovery-on': {
        description: 'serve discovery on this node of the cluster',
        default: 'the first cloud node that accepts inbound TCP on the port',
        value: 'NODE',
      },
      'discovery-insecure': { description: 'serve discovery on the node as plain h2c instead of TLS: only on a LAN you trust' },
      'discovery-embedded': { description: 'serve discovery from this desktop (the app or spanwise web) for a LAN' },
      'discovery-address': {
        description: 'the address or name nodes reach this desktop at (with --discovery-embedded)',
        default: 'learned per node from its SSH session',
        value: 'HOST',
      },
      'discovery-url': { description: 'use an external discovery service: https://host[:port] or host:port', value: 'URL' },
      'discovery-port': { description: 'the TCP port discovery listens on (node or embedded)', default: '3000', value: 'N' },
      'from-talos': {
        description: "join an existing Talos cluster's mesh: its id, secret, discovery and KubeSpan settings from its secrets.yaml or a machine config",
        value: 'FILE',
      },
    },
    examples: [
      'spanwise cluster create prod',
      'spanwise cluster create home --discovery-embedded --discovery-address 192.168.1.20',
      'spanwise cluster create lan --discovery-url https://discovery.example:443 -o json',
      'spanwise cluster create talos --from-talos secrets.yaml',
    ],
    positionals: true,
    async run(values, positionals) {
      const format = outputFormat(values);
      const name = onePositional(positionals, 'cluster NAME');
      if (values['from-talos'] !== undefined) {
        const given = Object.keys(values).filter((flag) => flag.startsWith('discovery-') && values[flag] !== undefined);
        if (given.length) throw new UsageError(`--from-talos takes discovery from the file: leave out --${given.join(', --')}`);
        const config = readTalosFile(String(values['from-talos']));
        const imported = await withClient(values, (c) => c.invoke('cluster:createFromTalos', { name, config }, fromTalosFlags));
        print(format, imported, () => talosImportText(imported));
        return;
      }
      const cluster = await withClient(values, (c) => c.invoke('cluster:create', { name, discovery: placement(values) }, createFlags));
      const embedded =
        cluster.discovery.mode === 'embedded'
          ? `\ndiscovery runs in the app or 'spanwise web' while one is open on this data dir; 'spanwise node onboard' serves it for its own run when neither is`
          : '';
      print(format, cluster, () => `created cluster ${cluster.name} (id ${cluster.clusterId})\n${clusterTable([cluster])}${embedded}`);
    },
  },
  {
    path: ['cluster', 'list'],
    summary: 'list clusters (* = current)',
    usage: '[-o table|wide|json|yaml]',
    options: { ...dataOptions },
    optionHelp: { ...dataHelp },
    examples: ['spanwise cluster list', 'spanwise cluster list -o wide'],
    async run(values) {
      const format = outputFormat(values);
      const clusters = await withClient(values, (c) => c.invoke('cluster:list', {}));
      const empty = "no clusters yet: create one with 'spanwise cluster create NAME'";
      print(format, clusters, {
        table: () => (clusters.length ? clusterTable(clusters) : empty),
        wide: () => (clusters.length ? clusterTable(clusters, true) : empty),
      });
    },
  },
  {
    path: ['cluster', 'use'],
    summary: 'select the current cluster',
    usage: 'NAME [-o FORMAT]',
    options: { ...dataOptions },
    optionHelp: { ...dataHelp },
    examples: ['spanwise cluster use prod'],
    positionals: true,
    async run(values, positionals) {
      const format = outputFormat(values);
      const name = onePositional(positionals, 'cluster NAME');
      const cluster = await withClient(values, (c) => c.invoke('cluster:select', { name }, nameFlag));
      print(format, cluster, () => `current cluster: ${cluster.name}`);
    },
  },
  {
    path: ['cluster', 'rekey-ca'],
    summary: "replace a cluster's agent API CA (then re-run node onboard --all to re-issue the agents' certificates)",
    usage: 'NAME [-o FORMAT]',
    options: { ...dataOptions },
    optionHelp: { ...dataHelp },
    examples: ['spanwise cluster rekey-ca prod && spanwise node onboard --all'],
    positionals: true,
    async run(values, positionals) {
      const format = outputFormat(values);
      const name = onePositional(positionals, 'cluster NAME');
      const cluster = await withClient(values, (c) => c.invoke('cluster:rekeyCa', { name }, nameFlag));
      print(format, cluster, () => `new agent API CA for ${cluster.name}; run 'spanwise node onboard --all' to re-issue the agents' certificates`);
    },
  },
  {
    path: ['cluster', 'delete'],
    summary: 'delete a cluster from the inventory (remove its nodes first to clean the hosts)',
    usage: 'NAME [-o FORMAT]',
    options: { ...dataOptions },
    optionHelp: { ...dataHelp },
    examples: ['spanwise cluster delete lab'],
    positionals: true,
    async run(values, positionals) {
      const format = outputFormat(values);
      const name = onePositional(positionals, 'cluster NAME');
      await withClient(values, (c) => c.invoke('cluster:delete', { name }, nameFlag));
      print(format, { deleted: name }, () => `deleted cluster ${name}`);
    },
  },
  talosPatchCommand,
];

import type { Command } from '../../agent/lib/cli.js';
import { UsageError } from '../../agent/lib/errors.js';
import { clusterNameSchema, discoveryPlacementSchema, type ClusterSummary, type DiscoveryPlacement } from '../contract/clusters.js';
import { dataDirOption, parsePort } from './options.js';
import { print, withServices } from './services.js';

/** Checks a cluster NAME typed on the command line. */
export function parseClusterName(text: string | undefined): string {
  const parsed = clusterNameSchema.safeParse(text);
  if (!parsed.success) throw new UsageError(`NAME: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

function clusterName(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError('give exactly one cluster NAME');
  return parseClusterName(positionals[0]);
}

function placement(values: Record<string, unknown>): DiscoveryPlacement {
  const chosen = ['discovery-on', 'discovery-embedded', 'discovery-url'].filter((flag) => values[flag] !== undefined);
  if (chosen.length > 1) throw new UsageError(`choose one of --${chosen.join(', --')}`);
  const port = parsePort(values['discovery-port'], 'discovery-port', 3000);
  if (values['discovery-address'] !== undefined && !values['discovery-embedded']) throw new UsageError('--discovery-address goes with --discovery-embedded');
  if (values['discovery-insecure'] && (values['discovery-embedded'] || values['discovery-url'])) throw new UsageError('--discovery-insecure goes with discovery on a node (the embedded one is always plain h2c; a URL says http:// or https://)');
  const candidate = values['discovery-url']
    ? { mode: 'url', url: values['discovery-url'] }
    : values['discovery-embedded']
      ? { mode: 'embedded', port, ...(values['discovery-address'] ? { address: values['discovery-address'] } : {}) }
      : { mode: 'node', port, ...(values['discovery-on'] ? { node: values['discovery-on'] } : {}), ...(values['discovery-insecure'] ? { tls: false } : {}) };
  const parsed = discoveryPlacementSchema.safeParse(candidate);
  if (!parsed.success) throw new UsageError(`discovery: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

const line = (c: ClusterSummary) => `${c.current ? '*' : ' '} ${c.name.padEnd(20)} ${String(c.machineCount).padStart(3)} machines  discovery: ${c.discovery.mode === 'url' ? c.discovery.url : c.discovery.mode === 'node' ? `on ${c.discovery.node ?? 'first cloud node'}:${c.discovery.port}${c.discovery.tls === false ? ' (plain h2c)' : ' (TLS)'}` : `in this app, port ${c.discovery.port}${c.discovery.address ? `, nodes use ${c.discovery.address}` : ''}`}`;

/** `spanwise cluster ...` */
export const clusterCommands: Command[] = [
  {
    path: ['cluster', 'create'],
    summary: 'create a cluster (id, 32-byte secret, agent API CA) and select it',
    usage: 'NAME [--discovery-on NODE [--discovery-insecure] | --discovery-embedded [--discovery-address HOST] | --discovery-url URL] [--discovery-port N] [--json]',
    options: {
      ...dataDirOption,
      'discovery-on': { type: 'string' },
      /** Discovery on a node as plain h2c instead of TLS: only on a LAN you trust. */
      'discovery-insecure': { type: 'boolean' },
      'discovery-embedded': { type: 'boolean' },
      'discovery-address': { type: 'string' },
      'discovery-url': { type: 'string' },
      'discovery-port': { type: 'string' },
      json: { type: 'boolean' },
    },
    positionals: true,
    async run(values, positionals) {
      const name = clusterName(positionals);
      const discovery = placement(values);
      const cluster = await withServices(values, (s) => s.clusters.create(name, discovery));
      const embedded = cluster.discovery.mode === 'embedded' ? `\ndiscovery runs in the app or 'spanwise web' while one is open on this data dir; 'spanwise node onboard' serves it for its own run when neither is` : '';
      print(values, cluster, () => `created cluster ${cluster.name} (id ${cluster.clusterId})\n${line(cluster)}${embedded}`);
    },
  },
  {
    path: ['cluster', 'list'],
    summary: 'list clusters (* = current)',
    usage: '[--json]',
    options: { ...dataDirOption, json: { type: 'boolean' } },
    async run(values) {
      const clusters = await withServices(values, (s) => s.clusters.list());
      print(values, clusters, () => (clusters.length ? clusters.map(line).join('\n') : "no clusters yet: create one with 'spanwise cluster create NAME'"));
    },
  },
  {
    path: ['cluster', 'use'],
    summary: 'select the current cluster',
    usage: 'NAME',
    options: { ...dataDirOption },
    positionals: true,
    async run(values, positionals) {
      const cluster = await withServices(values, (s) => s.clusters.select(clusterName(positionals)));
      process.stdout.write(`current cluster: ${cluster.name}\n`);
    },
  },
  {
    path: ['cluster', 'rekey-ca'],
    summary: "replace a cluster's agent API CA (then re-run node onboard --all to re-issue the agents' certificates)",
    usage: 'NAME',
    options: { ...dataDirOption },
    positionals: true,
    async run(values, positionals) {
      const cluster = await withServices(values, (s) => s.clusters.rekeyCa(clusterName(positionals)));
      process.stdout.write(`new agent API CA for ${cluster.name}; run 'spanwise node onboard --all' to re-issue the agents' certificates\n`);
    },
  },
  {
    path: ['cluster', 'delete'],
    summary: 'delete a cluster from the inventory (remove its nodes first to clean the hosts)',
    usage: 'NAME',
    options: { ...dataDirOption },
    positionals: true,
    async run(values, positionals) {
      const name = clusterName(positionals);
      await withServices(values, (s) => s.clusters.delete(name));
      process.stdout.write(`deleted cluster ${name}\n`);
    },
  },
];

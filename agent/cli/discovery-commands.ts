import { readFileSync } from 'node:fs';
import type { Command } from '../shared/cli.js';
import { requireString } from '../shared/cli.js';
import { UsageError } from '../shared/errors.js';
import { parseLogFormat, stderrLogger } from '../shared/log.js';
import { outputFormat, outputOptionHelp, outputOptions, renderOutput } from '../shared/output-format.js';
import { CLUSTER_SECRET_ENV, clusterSecretHelp, clusterSecretOptions, readClusterSecret } from './cluster-secret.js';

type Values = Record<string, unknown>;

const str = (values: Values, name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);

const UNITS: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 };

/** `--max-memory`: bytes with an optional K/M/G (or KiB/MiB/GiB) suffix; `auto` for the default, `off` or 0 for none. */
export function parseMemory(text: string): number | 'auto' | undefined {
  if (text === 'auto') return 'auto';
  if (text === 'off' || text === '0') return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?$/i.exec(text.trim());
  const bytes = match ? Math.floor(Number(match[1]) * (UNITS[(match[2] ?? '').toLowerCase()] ?? 1)) : Number.NaN;
  if (!Number.isFinite(bytes) || bytes < 64 * 2 ** 20) {
    throw new UsageError(`--max-memory: '${text}' is not a size of at least 64M`, "give e.g. 512M or 2G, 'auto' (1 GiB, or 80% of a cgroup limit) or 'off'");
  }
  return bytes;
}

/** A positive whole number flag, or undefined when not given. */
function count(values: Values, name: string): number | undefined {
  const text = str(values, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name}: '${text}' is not a positive whole number`);
  return n;
}

const serve: Command = {
  path: ['discovery', 'serve'],
  summary: 'run the KubeSpan-compatible discovery service (sidero.discovery.server.Cluster over gRPC)',
  usage:
    '--listen HOST:PORT [--tls-cert F --tls-key F] [--state-file F] [--redirect HOST:PORT] [--metrics HOST:PORT] [--trust-proxy] [--max-memory SIZE|auto|off] [--max-clusters N] [--max-affiliates N] [--max-watchers N] [--new-clusters-per-second N|off] [--log-format json|text]',
  options: {
    listen: { type: 'string', default: '0.0.0.0:3000' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'state-file': { type: 'string' },
    redirect: { type: 'string' },
    metrics: { type: 'string' },
    'trust-proxy': { type: 'boolean', default: false },
    'max-memory': { type: 'string', default: 'auto' },
    'max-clusters': { type: 'string' },
    'max-affiliates': { type: 'string' },
    'max-watchers': { type: 'string' },
    'new-clusters-per-second': { type: 'string' },
    'log-format': { type: 'string', default: 'json' },
  },
  async run(values) {
    const logger = stderrLogger(false, parseLogFormat(values['log-format']));
    const certFile = str(values, 'tls-cert');
    const keyFile = str(values, 'tls-key');
    if (Boolean(certFile) !== Boolean(keyFile)) throw new UsageError('--tls-cert and --tls-key go together');
    const memory = parseMemory(str(values, 'max-memory') ?? 'auto');
    const limits = Object.fromEntries(
      Object.entries({
        maxClusters: count(values, 'max-clusters'),
        maxAffiliates: count(values, 'max-affiliates'),
        maxWatchers: count(values, 'max-watchers'),
      }).filter(([, v]) => v !== undefined),
    );
    const newClusters = str(values, 'new-clusters-per-second') === 'off' ? false : count(values, 'new-clusters-per-second');
    const { defaultMemoryLimit, startDiscoveryServer } = await import('../discovery/server/index.js');
    const server = await startDiscoveryServer({
      listen: requireString(values, 'listen'),
      tls: certFile && keyFile ? { certFile, keyFile } : undefined,
      stateFile: str(values, 'state-file'),
      redirect: str(values, 'redirect'),
      metricsListen: str(values, 'metrics'),
      trustProxy: values['trust-proxy'] === true,
      maxMemoryBytes: memory === 'auto' ? defaultMemoryLimit() : memory,
      newClusterRate: typeof newClusters === 'number' ? { perSecond: newClusters, burst: newClusters * 10 } : newClusters,
      limits,
      logger,
    });
    await new Promise<void>((resolve) => {
      const shutdown = () => {
        process.off('SIGTERM', shutdown);
        process.off('SIGINT', shutdown);
        void server.stop().then(resolve);
      };
      process.on('SIGTERM', shutdown);
      process.on('SIGINT', shutdown);
    });
    return 0;
  },
};

const list: Command = {
  path: ['discovery', 'list'],
  summary: `decrypt and print every member of a cluster registered with a discovery service (the secret from ${CLUSTER_SECRET_ENV} or a file)`,
  usage: `--endpoint HOST:PORT [--insecure] [--ca-file F] --cluster-id ID [--cluster-secret-file F | --cluster-secret-env VAR] [-o table|wide|json|yaml]\n\nThe cluster secret is read from ${CLUSTER_SECRET_ENV} (or the variable --cluster-secret-env names), or from --cluster-secret-file (mode 0600, or a pipe); never from the command line.`,
  options: {
    endpoint: { type: 'string' },
    insecure: { type: 'boolean', default: false },
    'ca-file': { type: 'string' },
    'cluster-id': { type: 'string' },
    ...clusterSecretOptions,
    ...outputOptions,
  },
  optionHelp: {
    endpoint: { description: 'the discovery service', value: 'HOST:PORT' },
    insecure: { description: 'plain h2c instead of TLS' },
    'ca-file': { description: 'verify the service against this CA (PEM) instead of the system roots', value: 'FILE' },
    'cluster-id': { description: 'the cluster whose members to list', value: 'ID' },
    ...clusterSecretHelp,
    ...outputOptionHelp,
  },
  examples: [
    `${CLUSTER_SECRET_ENV}=... spanwise-agent discovery list --endpoint discovery.example:443 --cluster-id ID`,
    'spanwise-agent discovery list --endpoint 10.0.0.5:3000 --insecure --cluster-id ID --cluster-secret-file ~/.spanwise-secret -o json',
  ],
  async run(values) {
    const endpoint = requireString(values, 'endpoint');
    const clusterId = requireString(values, 'cluster-id');
    const format = outputFormat(values);
    const key = await readClusterSecret(values);
    const { DiscoveryClient, decryptMembers, membersTable } = await import('../discovery/client/index.js');
    const caFile = str(values, 'ca-file');
    const client = new DiscoveryClient({ endpoint, insecure: values.insecure === true, ca: caFile ? readFileSync(caFile) : undefined });
    try {
      const members = decryptMembers(key, await client.list(clusterId));
      process.stdout.write(renderOutput(format, members, { table: () => membersTable(members) }));
    } finally {
      client.close();
    }
    return 0;
  },
};

/** `spanwise-agent discovery ...` */
export const discoveryCommands: Command[] = [serve, list];

import { readFileSync } from 'node:fs';
import type { Command } from '../lib/cli.js';
import { requireString } from '../lib/cli.js';
import { UsageError } from '../lib/errors.js';

type Values = Record<string, unknown>;

const str = (values: Values, name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);

const serve: Command = {
  path: ['discovery', 'serve'],
  summary: 'run the KubeSpan-compatible discovery service (sidero.discovery.server.Cluster over gRPC)',
  usage: '--listen HOST:PORT [--tls-cert F --tls-key F] [--state-file F] [--redirect HOST:PORT] [--metrics HOST:PORT] [--trust-proxy]',
  options: {
    listen: { type: 'string', default: '0.0.0.0:3000' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'state-file': { type: 'string' },
    redirect: { type: 'string' },
    metrics: { type: 'string' },
    'trust-proxy': { type: 'boolean', default: false },
  },
  async run(values) {
    const certFile = str(values, 'tls-cert');
    const keyFile = str(values, 'tls-key');
    if (Boolean(certFile) !== Boolean(keyFile)) throw new UsageError('--tls-cert and --tls-key go together');
    const { startDiscoveryServer } = await import('../discovery/server/index.js');
    const server = await startDiscoveryServer({
      listen: requireString(values, 'listen'),
      tls: certFile && keyFile ? { certFile, keyFile } : undefined,
      stateFile: str(values, 'state-file'),
      redirect: str(values, 'redirect'),
      metricsListen: str(values, 'metrics'),
      trustProxy: values['trust-proxy'] === true,
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

/** The cluster secret from exactly one of --cluster-secret-file, --cluster-secret-env, --cluster-secret. */
async function clusterSecret(values: Values): Promise<Buffer> {
  const { clusterKey } = await import('../lib/affiliate-crypto.js');
  const file = str(values, 'cluster-secret-file');
  const env = str(values, 'cluster-secret-env');
  const inline = str(values, 'cluster-secret');
  if ([file, env, inline].filter(Boolean).length !== 1) {
    throw new UsageError('give the cluster secret once: --cluster-secret-file F, --cluster-secret-env VAR or --cluster-secret S');
  }
  if (file) return clusterKey(readFileSync(file, 'utf8'));
  if (env) {
    const value = process.env[env];
    if (!value) throw new UsageError(`environment variable ${env} (from --cluster-secret-env) is not set`);
    return clusterKey(value);
  }
  return clusterKey(inline as string);
}

const list: Command = {
  path: ['discovery', 'list'],
  summary: 'decrypt and print every member of a cluster registered with a discovery service',
  usage: '--endpoint HOST:PORT [--insecure] [--ca-file F] --cluster-id ID (--cluster-secret-file F | --cluster-secret-env VAR | --cluster-secret S) [-o table|json]',
  options: {
    endpoint: { type: 'string' },
    insecure: { type: 'boolean', default: false },
    'ca-file': { type: 'string' },
    'cluster-id': { type: 'string' },
    'cluster-secret': { type: 'string' },
    'cluster-secret-env': { type: 'string' },
    'cluster-secret-file': { type: 'string' },
    output: { type: 'string', short: 'o', default: 'table' },
  },
  async run(values) {
    const endpoint = requireString(values, 'endpoint');
    const clusterId = requireString(values, 'cluster-id');
    const output = str(values, 'output');
    if (output !== 'table' && output !== 'json') throw new UsageError(`-o must be table or json (got '${output}')`);
    const key = await clusterSecret(values);
    const { DiscoveryClient, decryptMembers, membersTable } = await import('../discovery/client/index.js');
    const caFile = str(values, 'ca-file');
    const client = new DiscoveryClient({ endpoint, insecure: values.insecure === true, ca: caFile ? readFileSync(caFile) : undefined });
    try {
      const members = decryptMembers(key, await client.list(clusterId));
      process.stdout.write(output === 'json' ? `${JSON.stringify(members, null, 2)}\n` : membersTable(members));
    } finally {
      client.close();
    }
    return 0;
  },
};

/** `spanwise-agent discovery ...` */
export const discoveryCommands: Command[] = [serve, list];

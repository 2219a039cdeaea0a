import type { Server } from 'node:http';
import { nodeHttp } from '../../metrics/node-http.js';
import type { AddressInfo } from 'node:net';
import type { MemoryStatus } from './memory-guard.js';
import type { Metrics } from './metrics.js';
import type { StoreStats } from './store.js';

/** What the status endpoints read; counts only, never cluster ids or contents. */
export interface StatusSource {
  stats(): StoreStats;
  metrics: Metrics;
  version: string;
  /** The memory guard's last reading, when one runs. */
  memory?: (() => MemoryStatus) | undefined;
}

function page(source: StatusSource): string {
  const s = source.stats();
  const memory = source.memory?.();
  const uptime = Math.round((Date.now() - source.metrics.startedAt) / 1000);
  const rows = [
    ['Clusters', s.clusters],
    ['Affiliates', s.affiliates],
    ['Endpoints', s.endpoints],
    ['Watchers', s.watchers],
    ...Object.entries(source.metrics.rpcTotals()).map(([m, n]) => [`${m} calls`, n]),
    ['Rate limited', source.metrics.rateLimited],
    ['Watchers cut off', source.metrics.watchAborted + source.metrics.watchCutOff],
    ...(memory
      ? [['Memory (MiB)', `${Math.round(memory.rssBytes / 2 ** 20)} of ${Math.round(memory.limitBytes / 2 ** 20)}${memory.over ? ', refusing new state' : ''}`]]
      : []),
    ['Uptime (s)', uptime],
  ];
  const body = rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Spanwise discovery</title></head><body><h1>Spanwise discovery service</h1><p>version ${source.version}</p><table>${body}</table><p><a href="/metrics">metrics</a></p></body></html>\n`;
}

/** Serves `/metrics` (Prometheus), `/healthz` and `/` (a status page). */
export async function startStatusServer(host: string, port: number, source: StatusSource): Promise<{ server: Server; port: number }> {
  const server = nodeHttp.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
    } else if (path === '/metrics') {
      source.metrics.render().then(
        (text) => res.writeHead(200, { 'content-type': source.metrics.registry.contentType }).end(text),
        (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(error)}\n`),
      );
    } else if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(source));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

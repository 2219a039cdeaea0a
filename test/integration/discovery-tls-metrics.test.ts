import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscoveryServer } from '../../agent/discovery/server/index.js';
import { DiscoveryClient } from '../../agent/discovery/client/index.js';
import { startTestServer, ttl } from './discovery-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'spanwise-discovery-tls-'));
let server: DiscoveryServer;

afterEach(async () => {
  await server?.stop();
});

function makeCert(name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

async function helloWith(ca: string): Promise<string | undefined> {
  const client = new DiscoveryClient({ endpoint: server.address, ca: readFileSync(ca), timeoutMs: 2000 });
  try {
    return (await client.hello('c')).clientIp;
  } catch {
    return undefined;
  } finally {
    client.close();
  }
}

describe('discovery TLS', () => {
  it('serves TLS with the given files and picks up a replaced certificate', async () => {
    const first = makeCert('first');
    const second = makeCert('second');
    const live = { certFile: join(dir, 'live.crt'), keyFile: join(dir, 'live.key'), reloadIntervalMs: 100 };
    copyFileSync(first.cert, live.certFile);
    copyFileSync(first.key, live.keyFile);
    ({ server } = await startTestServer({ tls: live }));
    expect(await helloWith(first.cert)).toBe('127.0.0.1');
    const plain = new DiscoveryClient({ endpoint: server.address, insecure: true, timeoutMs: 1000 });
    await expect(plain.hello('c')).rejects.toThrow();
    plain.close();
    copyFileSync(second.key, `${live.keyFile}.new`);
    copyFileSync(second.cert, `${live.certFile}.new`);
    renameSync(`${live.keyFile}.new`, live.keyFile);
    renameSync(`${live.certFile}.new`, live.certFile);
    let ip: string | undefined;
    for (let i = 0; i < 50 && !ip; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      ip = await helloWith(second.cert);
    }
    expect(ip).toBe('127.0.0.1');
  });

  it('refuses to start with a missing or mismatched key, naming the files', async () => {
    const a = makeCert('a');
    const b = makeCert('b');
    await expect(startTestServer({ tls: { certFile: a.cert, keyFile: b.key } })).rejects.toThrow(/TLS certificate .*a\.crt/);
    await expect(startTestServer({ tls: { certFile: join(dir, 'nope.crt'), keyFile: a.key } })).rejects.toThrow(/nope\.crt/);
  });
});

describe('discovery metrics and status page', () => {
  it('exposes counts and RPC metrics, never cluster ids or contents', async () => {
    ({ server } = await startTestServer({ metricsListen: '127.0.0.1:0' }));
    const client = new DiscoveryClient({ endpoint: server.address, insecure: true });
    await client.update({
      clusterId: 'secret-cluster-name',
      affiliateId: 'private-node',
      data: Buffer.from('payload'),
      endpoints: [Buffer.alloc(16)],
      ttlMs: 60_000,
    });
    await client.list('secret-cluster-name');
    await client.update({ clusterId: 'secret-cluster-name', affiliateId: 'x', ttlMs: 3_600_000 }).catch(() => {});
    const watch = client.rawWatch('secret-cluster-name');
    watch.on('error', () => {});
    await new Promise((r) => watch.once('data', r));
    server.store.update({ clusterId: 'c2', affiliateId: 'n', affiliateData: Buffer.from('d'), affiliateEndpoints: [], ttl: ttl(60) });
    const base = `http://127.0.0.1:${server.metricsPort}`;
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('discovery_state_clusters 2');
    expect(metrics).toContain('discovery_state_affiliates 2');
    expect(metrics).toContain('discovery_state_endpoints 1');
    expect(metrics).toContain('discovery_state_subscriptions 1');
    const rpc = (method: string, type: string) => `grpc_service="sidero.discovery.server.Cluster",grpc_method="${method}",grpc_type="${type}"`;
    expect(metrics).toContain(`grpc_server_handled_total{${rpc('AffiliateUpdate', 'unary')},grpc_code="OK"} 1`);
    expect(metrics).toContain(`grpc_server_handled_total{${rpc('AffiliateUpdate', 'unary')},grpc_code="InvalidArgument"} 1`);
    expect(metrics).toContain(`grpc_server_handled_total{${rpc('Watch', 'server_stream')},grpc_code="OK"} 1`);
    expect(metrics).toContain(`grpc_server_started_total{${rpc('List', 'unary')}} 1`);
    expect(metrics).toContain(`grpc_server_handling_seconds_count{${rpc('List', 'unary')}} 1`);
    expect(metrics).toContain('spanwise_discovery_watch_aborted_total 0');
    expect(metrics).toMatch(/^discovery_build_info\{version="\d+\.\d+\.\d+[^"]*"\} 1$/m);
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(metrics).toMatch(/^nodejs_heap_size_used_bytes \d+/m);
    const page = await (await fetch(`${base}/`)).text();
    expect(page).toMatch(/Affiliates<\/th><td>2/);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    for (const text of [metrics, page]) {
      expect(text).not.toContain('secret-cluster-name');
      expect(text).not.toContain('private-node');
    }
    watch.cancel();
    client.close();
  });
});

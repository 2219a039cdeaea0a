import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, type DiscoveryServer, type Logger } from '../../agent/discovery/server/index.js';
import { DiscoveryClient } from '../../agent/discovery/client/index.js';
import { startTestServer, ttl } from './discovery-helpers.js';

const C = 'cluster-persist';
const dir = mkdtempSync(join(tmpdir(), 'spanwise-discovery-'));
const servers: DiscoveryServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function start(file: string, clock: ManualClock, logger?: Logger) {
  const { server } = await startTestServer({ stateFile: file, clock, ...(logger ? { logger } : {}) });
  servers.push(server);
  return server;
}

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, debug: () => {}, info: () => {}, warn: () => {}, error: (m, f) => errors.push(`${m} ${JSON.stringify(f)}`) };
}

describe('discovery state file', () => {
  it('keeps affiliates and their remaining TTLs across a restart', async () => {
    const file = join(dir, 'ttl.state');
    const clock = new ManualClock(1_700_000_000_000);
    const first = await start(file, clock);
    first.store.update({ clusterId: C, affiliateId: 'a', affiliateData: Buffer.from('data'), affiliateEndpoints: [Buffer.alloc(16, 1)], ttl: ttl(600) });
    first.store.update({ clusterId: C, affiliateId: 'a', affiliateEndpoints: [Buffer.alloc(16, 2)], ttl: ttl(100) });
    await first.stop();
    clock.advance(50_000);
    const second = await start(file, clock);
    expect(second.store.list(C)[0]?.endpoints).toHaveLength(2);
    clock.advance(49_000);
    second.gc();
    expect(second.store.list(C)[0]?.endpoints).toHaveLength(2);
    clock.advance(2_000);
    second.gc();
    expect(second.store.list(C)[0]).toEqual({ id: 'a', data: Buffer.from('data'), endpoints: [Buffer.alloc(16, 1)] });
    clock.advance(500_000);
    second.gc();
    expect(second.store.list(C)).toEqual([]);
  });

  it('reports a corrupt or truncated file and starts empty', async () => {
    const clock = new ManualClock();
    const good = join(dir, 'good.state');
    const server = await start(good, clock);
    server.store.update({ clusterId: C, affiliateId: 'a', affiliateData: Buffer.from('x'), affiliateEndpoints: [], ttl: ttl(600) });
    await server.snapshot();
    const text = readFileSync(good, 'utf8');
    const variants = {
      garbage: '\u0000\u0001not json',
      truncated: text.slice(0, text.length - 20),
      'cut line': text.split('\n').slice(0, 2).join('\n'),
      empty: '',
    };
    for (const [name, content] of Object.entries(variants)) {
      const file = join(dir, `${name}.state`);
      writeFileSync(file, content);
      const logger = recordingLogger();
      const s = await start(file, clock, logger);
      expect({ name, affiliates: s.stats().affiliates }).toEqual({ name, affiliates: 0 });
      expect(logger.errors.join()).toMatch(/unreadable; starting empty/);
      s.store.update({ clusterId: C, affiliateId: 'b', affiliateData: Buffer.from('y'), affiliateEndpoints: [], ttl: ttl(60) });
      await s.snapshot();
      expect(readFileSync(file, 'utf8')).toContain('"end":true');
    }
  });
});

function spawnServe(file: string): Promise<{ child: ChildProcess; address: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'agent/cli/entry.ts', 'discovery', 'serve', '--listen', '127.0.0.1:0', '--state-file', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /"address":"([^"]+)"/.exec(err);
      if (m?.[1]) resolve({ child, address: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

describe('discovery serve as a process', () => {
  it('snapshots on SIGTERM and serves the same affiliates after a restart', async () => {
    const file = join(dir, 'process.state');
    const { child, address } = await spawnServe(file);
    const client = new DiscoveryClient({ endpoint: address, insecure: true });
    await client.update({ clusterId: C, affiliateId: 'n1', data: Buffer.from('one'), endpoints: [Buffer.alloc(16, 3)], ttlMs: 1_800_000 });
    await client.update({ clusterId: C, affiliateId: 'n2', data: Buffer.from('two'), ttlMs: 300_000 });
    client.close();
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const cluster = JSON.parse(lines[1] ?? '{}') as { affiliates: { id: string; dataTtlMs: number }[] };
    const ttls = Object.fromEntries(cluster.affiliates.map((a) => [a.id, a.dataTtlMs]));
    expect(ttls.n1).toBeGreaterThan(1_700_000);
    expect(ttls.n1).toBeLessThanOrEqual(1_800_000);
    expect(ttls.n2).toBeLessThanOrEqual(300_000);
    const again = await spawnServe(file);
    const client2 = new DiscoveryClient({ endpoint: again.address, insecure: true });
    const listed = await client2.list(C);
    expect(listed.map((a) => [a.id, a.data.toString(), a.endpoints.length]).sort()).toEqual([
      ['n1', 'one', 1],
      ['n2', 'two', 0],
    ]);
    client2.close();
    const done = new Promise((r) => again.child.once('exit', r));
    again.child.kill('SIGTERM');
    await done;
  });
});

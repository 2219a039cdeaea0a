import { spawn, type ChildProcess } from 'node:child_process';
import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscoveryClient, type DiscoveryCallError } from '../../agent/discovery/client/index.js';

const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGTERM');
});

function serve(args: string[]): Promise<{ address: string } | { exit: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'agent/cli/entry.ts', 'discovery', 'serve', '--listen', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve) => {
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
      const m = /"address":"([^"]+)"/.exec(stderr);
      if (m?.[1]) resolve({ address: m[1] });
    });
    child.on('exit', (exit) => resolve({ exit, stderr }));
  });
}

describe('discovery serve capacity flags', () => {
  it('--max-clusters refuses the next new cluster with RESOURCE_EXHAUSTED', async () => {
    const started = await serve(['--max-clusters', '1', '--max-memory', '512M']);
    if (!('address' in started)) throw new Error(`serve exited: ${started.stderr}`);
    const client = new DiscoveryClient({ endpoint: started.address, insecure: true });
    await client.update({ clusterId: 'first', affiliateId: 'n1', data: Buffer.from('x'), ttlMs: 60_000 });
    const refused = await client.update({ clusterId: 'second', affiliateId: 'n1', data: Buffer.from('x'), ttlMs: 60_000 }).then(
      () => undefined,
      (error: DiscoveryCallError) => error,
    );
    client.close();
    expect(refused?.grpcCode).toBe(status.RESOURCE_EXHAUSTED);
    expect(refused?.message).toMatch(/1 clusters \(max 1\)/);
  });

  it('--new-clusters-per-second N admits a burst of 10 N new clusters, then refuses new ones faster than N a second; a bad value names the flag', async () => {
    const started = await serve(['--new-clusters-per-second', '1', '--max-memory', '512M']);
    if (!('address' in started)) throw new Error(`serve exited: ${started.stderr}`);
    const client = new DiscoveryClient({ endpoint: started.address, insecure: true });
    const results = [];
    for (let i = 0; i < 20; i += 1) {
      results.push(
        await client.update({ clusterId: `c${i}`, affiliateId: 'n1', data: Buffer.from('x'), ttlMs: 60_000 }).then(
          () => 'ok',
          (error: DiscoveryCallError) => error.grpcCode,
        ),
      );
    }
    client.close();
    expect(results.slice(0, 10)).toEqual(Array<string>(10).fill('ok'));
    expect(results.slice(10)).toContain(status.RESOURCE_EXHAUSTED);
    const bad = await serve(['--new-clusters-per-second', 'many']);
    expect(bad).toMatchObject({ exit: 2 });
    expect('stderr' in bad && bad.stderr).toMatch(/--new-clusters-per-second: 'many' is not a positive whole number/);
  });

  it('a malformed --max-memory is a usage error naming the flag', async () => {
    const started = await serve(['--max-memory', 'lots']);
    expect(started).toMatchObject({ exit: 2 });
    expect('stderr' in started && started.stderr).toMatch(/--max-memory: 'lots' is not a size/);
  });
});

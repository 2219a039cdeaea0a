import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Affiliate, ClusterClient } from '../../proto/gen/sidero/discovery/server/cluster.js';
import type { DiscoveryServer } from '../../agent/discovery/server/index.js';
import { rawClient, startTestServer, ttl, typedClient, WatchCollector } from './discovery-helpers.js';

const C = 'cluster-watch';
let server: DiscoveryServer;
let client: ClusterClient;

afterEach(async () => {
  client?.close();
  await server?.stop();
});

const put = (id: string, data: Buffer) => server.store.update({ clusterId: C, affiliateId: id, affiliateData: data, affiliateEndpoints: [], ttl: ttl(600) });

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i += 1) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('discovery watchers', () => {
  it('coalesces bursts per affiliate and converges on the final state', async () => {
    ({ server } = await startTestServer());
    client = rawClient(server);
    const w = new WatchCollector(client.watch({ clusterId: C }));
    await w.next();
    for (let round = 0; round < 50; round += 1) for (let i = 0; i < 10; i += 1) put(`a${i}`, Buffer.from(`r${round}`));
    const seen = new Map<string, string>();
    while ([...seen.values()].filter((v) => v === 'r49').length < 10) {
      for (const a of (await w.next()).affiliates) seen.set(a.id, a.data.toString());
    }
    expect(w.messages.length).toBeLessThan(500);
    w.close();
  });

  it('cuts off a watcher that stops reading with ABORTED, with bounded server memory', async () => {
    ({ server } = await startTestServer({ maxWatchLag: 100 }));
    client = rawClient(server);
    const slow = new WatchCollector(client.watch({ clusterId: C }));
    await slow.next();
    slow.stream.pause();
    const fast = new WatchCollector(client.watch({ clusterId: 'other' }));
    await fast.next();
    for (let i = 0; i < 8192 && server.metrics.watchAborted === 0; i += 1) {
      put(`m${i % 1000}`, Buffer.alloc(2048, i));
      if (i % 64 === 63) await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(() => server.metrics.watchAborted === 1);
    expect(server.stats().watchers).toBe(1);
    slow.stream.resume();
    expect(await slow.ended).toBe(status.ABORTED);
    server.store.update({ clusterId: 'other', affiliateId: 'x', affiliateData: Buffer.from('y'), affiliateEndpoints: [], ttl: ttl(60) });
    expect((await fast.next()).affiliates[0]?.id).toBe('x');
    fast.close();
  });

  it('splits a large snapshot into messages under the size limit', async () => {
    ({ server } = await startTestServer({ maxMessageBytes: 8 * 1024 }));
    client = rawClient(server);
    for (let i = 0; i < 20; i += 1) put(`m${i}`, Buffer.alloc(2000, i));
    const w = new WatchCollector(client.watch({ clusterId: C }));
    const ids = new Set<string>();
    while (ids.size < 20) for (const a of (await w.next()).affiliates) ids.add(a.id);
    expect(w.messages.length).toBeGreaterThan(1);
    w.close();
  });

  it('the typed client reconnects after the server restarts and gets a fresh snapshot', async () => {
    ({ server } = await startTestServer());
    const port = server.port;
    put('before', Buffer.from('1'));
    const typed = typedClient(server);
    const snapshots: Affiliate[][] = [];
    let disconnects = 0;
    const session = typed.watch(
      C,
      { snapshot: (a) => snapshots.push(a), upsert: () => {}, delete: () => {}, disconnected: () => (disconnects += 1) },
      { initialBackoffMs: 20 },
    );
    await waitFor(() => snapshots.length === 1);
    await server.stop();
    ({ server } = await startTestServer({ listen: `127.0.0.1:${port}` }));
    put('after', Buffer.from('2'));
    await waitFor(() => snapshots.length === 2);
    expect(disconnects).toBeGreaterThanOrEqual(1);
    expect(snapshots[1]?.map((a) => a.id)).toEqual(['after']);
    expect([...session.state.keys()]).toEqual(['after']);
    session.close();
    typed.close();
  });
});

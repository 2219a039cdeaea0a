import { constants as h2 } from 'node:http2';
import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterClient } from '../../proto/gen/sidero/discovery/server/cluster.js';
import type { DiscoveryServer, ManualClock } from '../../agent/discovery/server/index.js';
import { idleWatch, largestUpdate, rawClient, startTestServer, until, WatchCollector } from './discovery-helpers.js';

const C = 'cluster-watched';
const MESSAGE = 16 * 1024;
let server: DiscoveryServer;
let client: ClusterClient;

afterEach(async () => {
  client?.close();
  await server?.stop();
});

describe('discovery watchers that never read', () => {
  it('share the messages they hold instead of a snapshot copy each, are reset (RESOURCE_EXHAUSTED) once stalled, and leave readers untouched', async () => {
    let clock: ManualClock;
    ({ server, clock } = await startTestServer({ maxMessageBytes: MESSAGE, maxWatchStallMs: 30_000 }));
    client = rawClient(server);
    for (let i = 0; i < 300; i += 1) server.store.update(largestUpdate(C, `m${i}`));
    const reader = new WatchCollector(client.watch({ clusterId: C }));
    const seen = new Set<string>();
    while (seen.size < 300) for (const a of (await reader.next()).affiliates) seen.add(a.id);
    const paused = new WatchCollector(client.watch({ clusterId: C }));
    await paused.next();
    paused.stream.pause();

    const idle = Array.from({ length: 100 }, () => idleWatch(server.port, C));
    await Promise.all(idle.map((w) => w.headers));
    await until(() => server.stats().watchers === 102);
    const { watchQueuedBytes } = server.stats();
    expect(watchQueuedBytes).toBeGreaterThan(0);
    expect(watchQueuedBytes).toBeLessThanOrEqual(4 * (MESSAGE + 5));

    clock.advance(30_000);
    server.sweep();
    expect(server.metrics.watchCutOff).toBe(101);
    expect(await Promise.all(idle.map((w) => w.closed))).toEqual(idle.map(() => h2.NGHTTP2_ENHANCE_YOUR_CALM));
    paused.stream.resume();
    expect(await paused.ended).toBe(status.RESOURCE_EXHAUSTED);
    expect(server.stats()).toMatchObject({ watchers: 1, watchQueuedBytes: 0 });

    server.store.update({ clusterId: C, affiliateId: 'after', affiliateData: Buffer.from('x'), affiliateEndpoints: [], ttl: { seconds: 60, nanos: 0 } });
    await reader.until((m) => m.affiliates.some((a) => a.id === 'after'));
    reader.close();
    idle.forEach((w) => w.destroy());
  });

  it('a watcher that stalls part way through a large snapshot is reset too, and a new one still gets the whole state', async () => {
    let clock: ManualClock;
    ({ server, clock } = await startTestServer({ maxMessageBytes: MESSAGE }));
    client = rawClient(server);
    for (let i = 0; i < 100; i += 1) server.store.update(largestUpdate(C, `m${i}`));
    const stalled = idleWatch(server.port, C);
    await stalled.headers;
    server.store.update(largestUpdate(C, 'during'));
    clock.advance(30_000);
    server.sweep();
    expect(await stalled.closed).toBe(h2.NGHTTP2_ENHANCE_YOUR_CALM);

    const fresh = new WatchCollector(client.watch({ clusterId: C }));
    const ids = new Set<string>();
    while (ids.size < 101) for (const a of (await fresh.next()).affiliates) ids.add(a.id);
    expect(ids.has('during')).toBe(true);
    fresh.close();
    stalled.destroy();
  });

  it('readers that pin a different version each are reset after 2 s once what they hold passes the bound', async () => {
    let clock: ManualClock;
    ({ server, clock } = await startTestServer({ maxMessageBytes: MESSAGE, maxWatchQueuedBytes: 3 * MESSAGE }));
    for (let i = 0; i < 100; i += 1) server.store.update(largestUpdate(C, `m${i}`));
    const pinned = [];
    for (let v = 0; v < 6; v += 1) {
      server.store.update(largestUpdate(C, `v${v}`));
      const watch = idleWatch(server.port, C);
      await watch.headers;
      pinned.push(watch);
    }
    await until(() => server.stats().watchQueuedBytes > 3 * MESSAGE);
    clock.advance(1_000);
    server.sweep();
    expect(server.metrics.watchCutOff).toBe(0);
    clock.advance(1_000);
    server.sweep();
    expect(server.metrics.watchCutOff).toBe(6);
    expect(await Promise.all(pinned.map((w) => w.closed))).toEqual(pinned.map(() => h2.NGHTTP2_ENHANCE_YOUR_CALM));
    expect(server.stats().watchQueuedBytes).toBe(0);
    pinned.forEach((w) => w.destroy());
  });
});

import { randomBytes } from 'node:crypto';
import { status, type ServiceError } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { AffiliateUpdateRequest, ClusterClient } from '../../proto/gen/sidero/discovery/server/cluster.js';
import type { DiscoveryServer } from '../../agent/discovery/server/index.js';
import { largestUpdate, rawClient, startTestServer, ttl, WatchCollector } from './discovery-helpers.js';

let server: DiscoveryServer;
let client: ClusterClient;

afterEach(async () => {
  client?.close();
  await server?.stop();
});

const send = (request: AffiliateUpdateRequest) => new Promise<ServiceError | null>((resolve) => client.affiliateUpdate(request, (error) => resolve(error)));

describe('discovery memory guard', () => {
  it('refuses new clusters, affiliates, endpoints and watchers with RESOURCE_EXHAUSTED once over its limit; members already known keep refreshing', async () => {
    const headroom = 48 << 20;
    const limit = process.memoryUsage.rss() + headroom;
    ({ server } = await startTestServer({ maxMemoryBytes: limit }));
    client = rawClient(server);
    const member = { clusterId: 'real', affiliateId: 'n1', affiliateData: Buffer.from('x'), affiliateEndpoints: [Buffer.alloc(16, 1)], ttl: ttl(1800) };
    expect(await send(member)).toBeNull();

    let refusal: ServiceError | undefined;
    let sent = 0;
    while (!refusal && sent < 40_000) {
      const errors = await Promise.all(Array.from({ length: 64 }, () => send(largestUpdate(randomBytes(16).toString('hex'), 'a'))));
      sent += errors.length;
      refusal = errors.find((e) => e !== null) ?? undefined;
    }
    expect(refusal?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(refusal?.details).toMatch(/memory is at \d+ MiB \(limit \d+ MiB\); not taking new affiliates/);

    const stored = server.stats().affiliates;
    expect((await send(largestUpdate('another-new-cluster', 'a')))?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect((await send({ ...member, affiliateEndpoints: [Buffer.alloc(16, 2)] }))?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(await send(member)).toBeNull();
    expect(await send({ ...member, affiliateData: Buffer.from('new data, same size class') })).toBeNull();
    const watch = new WatchCollector(client.watch({ clusterId: 'real' }));
    expect(await watch.ended).toBe(status.RESOURCE_EXHAUSTED);
    expect(server.stats().affiliates).toBe(stored);
    // The refused update was not stored: the affiliates held are `member` and fewer than all that were sent.
    expect(stored - 1).toBeLessThan(sent);
    expect(process.memoryUsage.rss()).toBeLessThan(limit + headroom);
  });
});

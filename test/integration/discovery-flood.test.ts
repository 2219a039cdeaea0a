import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

function send(request: AffiliateUpdateRequest): Promise<ServiceError | null> {
  return new Promise((resolve) => client.affiliateUpdate(request, (error) => resolve(error)));
}

/** Sends every request, 32 at a time; returns the gRPC status of each (0 = OK) and the first refusal's text. */
async function flood(requests: AffiliateUpdateRequest[]): Promise<{ codes: number[]; refusal: string | undefined }> {
  const codes: number[] = [];
  let refusal: string | undefined;
  for (let i = 0; i < requests.length; i += 32) {
    const errors = await Promise.all(requests.slice(i, i + 32).map(send));
    for (const error of errors) {
      codes.push(error?.code ?? 0);
      if (error && !refusal) refusal = error.details;
    }
  }
  return { codes, refusal };
}

const count = (codes: number[], code: number) => codes.filter((c) => c === code).length;

describe('discovery under a flood of new clusters', () => {
  it('refuses new cluster ids past the cluster limit with RESOURCE_EXHAUSTED, holding and writing only what the limit allows', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'spanwise-flood-')), 'state');
    ({ server } = await startTestServer({ limits: { maxClusters: 100 }, stateFile }));
    client = rawClient(server);
    expect(await send({ clusterId: 'real', affiliateId: 'n1', affiliateData: Buffer.from('x'), affiliateEndpoints: [], ttl: ttl(1800) })).toBeNull();

    const { codes, refusal } = await flood(Array.from({ length: 300 }, (_, i) => largestUpdate(`attacker-${i}`, 'a')));
    expect(count(codes, status.OK)).toBe(99);
    expect(count(codes, status.RESOURCE_EXHAUSTED)).toBe(201);
    expect(refusal).toMatch(/100 clusters \(max 100\)/);
    expect(server.stats()).toMatchObject({ clusters: 100, affiliates: 100, endpoints: 99 * 64 });

    await server.snapshot();
    expect(readFileSync(stateFile, 'utf8').trim().split('\n')).toHaveLength(100 + 2);
    expect(await send({ clusterId: 'real', affiliateId: 'n1', affiliateData: Buffer.from('refresh'), affiliateEndpoints: [], ttl: ttl(1800) })).toBeNull();
    const watch = new WatchCollector(client.watch({ clusterId: 'one-more' }));
    expect(await watch.ended).toBe(status.RESOURCE_EXHAUSTED);
  });

  it('refuses affiliates past the total across clusters, then takes them again once some are deleted', async () => {
    ({ server } = await startTestServer({ limits: { maxAffiliates: 50 } }));
    client = rawClient(server);
    const requests = Array.from({ length: 80 }, (_, i) => largestUpdate(`cluster-${i % 4}`, `member-${i}`));
    const { codes, refusal } = await flood(requests);
    expect(count(codes, status.OK)).toBe(50);
    expect(count(codes, status.RESOURCE_EXHAUSTED)).toBe(30);
    expect(refusal).toMatch(/50 affiliates \(max 50\)/);
    expect(server.stats()).toMatchObject({ clusters: 4, affiliates: 50 });

    expect(await send(requests[0] as AffiliateUpdateRequest)).toBeNull();
    await new Promise((resolve) => client.affiliateDelete({ clusterId: 'cluster-0', affiliateId: 'member-0' }, resolve));
    expect(await send(largestUpdate('cluster-9', 'newcomer'))).toBeNull();
    expect(server.stats().affiliates).toBe(50);
  });

  it('refuses new cluster ids past the creation budget with a retry hint, while existing clusters, restored ones and later arrivals get in', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'spanwise-budget-')), 'state');
    const started = await startTestServer({ newClusterRate: { perSecond: 1, burst: 5 }, stateFile });
    ({ server } = started);
    client = rawClient(server);
    const { codes, refusal } = await flood(Array.from({ length: 8 }, (_, i) => largestUpdate(`new-${i}`, 'a')));
    expect([count(codes, status.OK), count(codes, status.RESOURCE_EXHAUSTED)]).toEqual([5, 3]);
    expect(refusal).toMatch(/new cluster ids are arriving faster than this server creates clusters \(1\/s across all clients\); retry in 1 s/);
    expect(server.stats().clusters).toBe(5);

    expect(await send(largestUpdate('new-0', 'b'))).toBeNull();
    const watch = new WatchCollector(client.watch({ clusterId: 'watch-only' }));
    expect(await watch.ended).toBe(status.RESOURCE_EXHAUSTED);
    started.clock.advance(1000);
    expect(await send(largestUpdate('new-5', 'a'))).toBeNull();
    expect((await send(largestUpdate('new-6', 'a')))?.code).toBe(status.RESOURCE_EXHAUSTED);

    client.close();
    await server.stop();
    ({ server } = await startTestServer({ newClusterRate: { perSecond: 1, burst: 1 }, stateFile, clock: started.clock }));
    client = rawClient(server);
    expect(server.stats()).toMatchObject({ clusters: 6, affiliates: 7 });
  });
});

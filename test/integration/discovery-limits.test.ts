import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { AffiliateUpdateRequest, type ClusterClient } from '../../proto/gen/sidero/discovery/server/cluster.js';
import type { DiscoveryServer } from '../../agent/discovery/server/index.js';
import { codeOf, rawClient, rawUnary, startTestServer, ttl } from './discovery-helpers.js';

const C = 'cluster-limits';
let server: DiscoveryServer;
let client: ClusterClient;

afterEach(async () => {
  client?.close();
  await server?.stop();
});

async function setup(options = {}) {
  ({ server } = await startTestServer(options));
  client = rawClient(server);
}

const send = (req: Partial<AffiliateUpdateRequest>) =>
  codeOf((cb) => client.affiliateUpdate({ clusterId: C, affiliateId: 'a', affiliateEndpoints: [], ttl: ttl(60), ...req }, cb));
const ep = (n: number) => Buffer.from(n.toString(16).padStart(32, '0'), 'hex');

describe('discovery limits', () => {
  it('rejects bad ids, sizes and TTLs with INVALID_ARGUMENT and stores nothing', async () => {
    await setup();
    const cases: [string, Partial<AffiliateUpdateRequest>][] = [
      ['empty cluster id', { clusterId: '' }],
      ['257-byte cluster id', { clusterId: 'c'.repeat(257) }],
      ['empty affiliate id', { affiliateId: '' }],
      ['257-byte affiliate id (multi-byte)', { affiliateId: 'é'.repeat(129) }],
      ['2049-byte data', { affiliateData: Buffer.alloc(2049) }],
      ['33-byte endpoint', { affiliateEndpoints: [Buffer.alloc(33)] }],
      ['empty endpoint', { affiliateEndpoints: [Buffer.alloc(0)] }],
      ['TTL over 30 min', { affiliateData: Buffer.alloc(1), ttl: { seconds: 1800, nanos: 1_000_000 } }],
      ['no TTL', { affiliateData: Buffer.alloc(1), ttl: undefined }],
      ['negative TTL', { affiliateData: Buffer.alloc(1), ttl: ttl(-5) }],
    ];
    for (const [name, req] of cases) {
      expect({ name, code: await send(req) }).toEqual({ name, code: status.INVALID_ARGUMENT });
    }
    expect(server.stats()).toMatchObject({ clusters: 0, affiliates: 0, endpoints: 0 });
    expect(await send({ affiliateId: 'é'.repeat(128), affiliateData: Buffer.alloc(2048), affiliateEndpoints: [Buffer.alloc(32)], ttl: ttl(1800) })).toBe(
      status.OK,
    );
  });

  it('refuses the 65th endpoint with RESOURCE_EXHAUSTED, keeping the 64 already stored', async () => {
    await setup();
    const first = Array.from({ length: 60 }, (_, i) => ep(i));
    expect(await send({ affiliateData: Buffer.from('d'), affiliateEndpoints: first })).toBe(status.OK);
    expect(await send({ affiliateEndpoints: [ep(0), ep(60), ep(61), ep(62), ep(63)] })).toBe(status.OK);
    expect(await send({ affiliateEndpoints: [ep(1), ep(64)] })).toBe(status.RESOURCE_EXHAUSTED);
    expect(await send({ affiliateData: Buffer.from('new'), affiliateEndpoints: [ep(64)] })).toBe(status.RESOURCE_EXHAUSTED);
    expect(await send({ affiliateId: 'b', affiliateEndpoints: Array.from({ length: 65 }, (_, i) => ep(i)) })).toBe(status.RESOURCE_EXHAUSTED);
    const stats = server.stats();
    expect(stats).toMatchObject({ affiliates: 1, endpoints: 64 });
    const listed = await new Promise<Buffer>((res) => client.list({ clusterId: C }, (_e, r) => res(r.affiliates[0]?.data ?? Buffer.alloc(0))));
    expect(listed.toString()).toBe('d');
  });

  it('refuses the 1025th affiliate with RESOURCE_EXHAUSTED; updates to existing ones still work', async () => {
    await setup();
    for (let i = 0; i < 1024; i += 1)
      server.store.update({ clusterId: C, affiliateId: `m${i}`, affiliateData: Buffer.from('d'), affiliateEndpoints: [], ttl: ttl(60) });
    expect(await send({ affiliateId: 'm1024', affiliateData: Buffer.from('d') })).toBe(status.RESOURCE_EXHAUSTED);
    expect(await send({ affiliateId: 'm5', affiliateData: Buffer.from('e') })).toBe(status.OK);
    expect(await send({ clusterId: 'other', affiliateId: 'm1024', affiliateData: Buffer.from('d') })).toBe(status.OK);
    expect(server.stats()).toMatchObject({ clusters: 2, affiliates: 1025 });
  });

  it('a request too large for any valid update is refused before decoding', async () => {
    await setup();
    expect(await send({ affiliateData: Buffer.alloc(64 * 1024) })).toBe(status.RESOURCE_EXHAUSTED);
    expect(server.stats().affiliates).toBe(0);
  });

  it('rate limits a flood from one address without starving another', async () => {
    await setup({ rateLimit: { perSecond: 15, burst: 60 } });
    const path = '/sidero.discovery.server.Cluster/AffiliateUpdate';
    const body = AffiliateUpdateRequest.encode({
      clusterId: C,
      affiliateId: 'flood',
      affiliateData: Buffer.from('x'),
      affiliateEndpoints: [],
      ttl: ttl(60),
    }).finish();
    const codes: number[] = [];
    for (let i = 0; i < 80; i += 1) codes.push((await rawUnary(server.port, '127.0.0.2', path, body)).status);
    expect(codes.filter((c) => c === status.OK).length).toBe(60);
    expect(codes.filter((c) => c === status.RESOURCE_EXHAUSTED).length).toBe(20);
    expect(await send({ affiliateData: Buffer.from('calm') })).toBe(status.OK);
    expect(server.metrics.rateLimited).toBeGreaterThan(0);
  });
});

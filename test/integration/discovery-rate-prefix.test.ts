import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { HelloRequest, HelloResponse } from '../../proto/gen/sidero/discovery/server/cluster.js';
import type { DiscoveryServer } from '../../agent/discovery/server/index.js';
import { rawUnary, startTestServer } from './discovery-helpers.js';

const HELLO = '/sidero.discovery.server.Cluster/Hello';
const body = HelloRequest.encode({ clusterId: 'c', clientVersion: 'test' }).finish();
let server: DiscoveryServer;

afterEach(async () => {
  await server?.stop();
});

/** Hello from `address` as a trusted proxy reports it (the server's clock does not move, so no token comes back). */
const helloFrom = (address: string) => rawUnary(server.port, '127.0.0.1', HELLO, body, { 'x-forwarded-for': address });

async function codesFrom(addresses: string[]): Promise<number[]> {
  const codes: number[] = [];
  for (const address of addresses) codes.push((await helloFrom(address)).status);
  return codes;
}

describe('discovery rate limit per network', () => {
  it('gives every address of one IPv6 /64 one shared budget, and another /64 its own', async () => {
    ({ server } = await startTestServer({ trustProxy: true, rateLimit: { perSecond: 15, burst: 20 } }));
    const sameNetwork = Array.from({ length: 30 }, (_, i) => `2001:db8:1:2:${(i + 1).toString(16)}:${i}:abcd:${(7 * i).toString(16)}`);
    const codes = await codesFrom(sameNetwork);
    expect(codes.filter((c) => c === status.OK)).toHaveLength(20);
    expect(codes.slice(20)).toEqual(Array(10).fill(status.RESOURCE_EXHAUSTED));
    expect(server.metrics.rateLimited).toBe(10);

    const reply = await helloFrom('2001:db8:1:3::1');
    expect(reply.status).toBe(status.OK);
    expect(HelloResponse.decode(reply.body).clientIp.toString('hex')).toBe('20010db8000100030000000000000001');
  });

  it('keeps IPv4 per address: neighbours in one /24 do not share, IPv4-mapped IPv6 counts as the IPv4 address', async () => {
    ({ server } = await startTestServer({ trustProxy: true, rateLimit: { perSecond: 15, burst: 5 } }));
    expect(await codesFrom(Array(5).fill('203.0.113.7'))).toEqual(Array(5).fill(status.OK));
    expect((await helloFrom('::ffff:203.0.113.7')).status).toBe(status.RESOURCE_EXHAUSTED);
    expect((await helloFrom('203.0.113.8')).status).toBe(status.OK);
  });
});

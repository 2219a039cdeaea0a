import { describe, expect, it } from 'vitest';
import { Endpoint, Affiliate as Payload } from '../../proto/gen/sidero/discovery/client/affiliate.js';
import { AffiliateUpdateRequest, WatchResponse } from '../../proto/gen/sidero/discovery/server/cluster.js';

const hex = (bytes: Uint8Array) =>
  Buffer.from(bytes)
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ');

describe('discovery wire format', () => {
  it('encodes the endpoint 10.0.0.2:51820 to the bytes KubeSpan uses', () => {
    const bytes = Endpoint.encode({ ip: Buffer.from([10, 0, 0, 2]), port: 51820 }).finish();
    expect(hex(bytes)).toBe('0a 04 0a 00 00 02 10 ec 94 03');
    const back = Endpoint.decode(bytes);
    expect([...back.ip]).toEqual([10, 0, 0, 2]);
    expect(back.port).toBe(51820);
  });

  it('omits zero values, as canonical encoding requires', () => {
    expect(Endpoint.encode({ ip: Buffer.alloc(0), port: 0 }).finish().length).toBe(0);
  });

  it('round-trips an update with optional data and a TTL', () => {
    const request = AffiliateUpdateRequest.fromPartial({
      clusterId: 'c1',
      affiliateId: 'a1',
      affiliateData: Buffer.from('sealed'),
      affiliateEndpoints: [Buffer.from([1, 2, 3])],
      ttl: { seconds: 1800, nanos: 0 },
    });
    const back = AffiliateUpdateRequest.decode(AffiliateUpdateRequest.encode(request).finish());
    expect(back.clusterId).toBe('c1');
    expect(back.affiliateData?.toString()).toBe('sealed');
    expect(back.ttl?.seconds).toBe(1800);
    const withoutData = AffiliateUpdateRequest.decode(AffiliateUpdateRequest.encode({ ...request, affiliateData: undefined }).finish());
    expect(withoutData.affiliateData).toBeUndefined();
  });

  it('uses the field numbers of the facts table', () => {
    // deleted = 2 : bool -> tag (2 << 3 | 0) = 0x10
    expect(hex(WatchResponse.encode({ affiliates: [], deleted: true }).finish())).toBe('10 01');
    // node_id = 1, machine_type = 5 -> tags 0x0a and 0x2a
    const payload = Payload.encode(Payload.fromPartial({ nodeId: 'n', machineType: 'w' })).finish();
    expect(hex(payload)).toBe('0a 01 6e 2a 01 77');
  });
});

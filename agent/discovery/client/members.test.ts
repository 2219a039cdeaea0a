import { describe, expect, it } from 'vitest';
import { AffiliateExtension } from '../../../proto/gen/spanwise/discovery/v1/affiliate_extension.js';
import { clusterKey, encodeAffiliatePayload, encryptData, sealAffiliate, type AffiliateInfo } from '../../shared/affiliate-crypto.js';
import { decryptMembers } from './members.js';

const upstream: AffiliateInfo = {
  nodeId: 'node-1',
  addresses: ['10.0.0.2'],
  hostname: 'edge1',
  nodename: 'edge1',
  machineType: 'worker',
  operatingSystem: 'Linux (Spanwise v0.1.0)',
};
const relay = { relayOffer: true, site: 'edge' as const, unreachable: ['000102030405'] };

describe('discovery list', () => {
  it("shows a member's relay extension, or why it was ignored", () => {
    const key = clusterKey(Buffer.alloc(32, 3).toString('base64'));
    const short = AffiliateExtension.encode({ spanwise: { relayOffer: true, site: '', unreachable: [Buffer.alloc(5)] } }).finish();
    const members = decryptMembers(key, [
      { id: 'a', data: sealAffiliate(key, { ...upstream, spanwise: relay }), endpoints: [] },
      { id: 'b', data: encryptData(key, Buffer.concat([encodeAffiliatePayload(upstream), short])), endpoints: [] },
      { id: 'c', data: sealAffiliate(key, upstream), endpoints: [] },
    ]);
    expect(members.map((m) => [m.status, m.hostname, m.relay, m.relayError])).toEqual([
      ['ok', 'edge1', relay, undefined],
      ['ok', 'edge1', null, 'spanwise.unreachable[0]: 5 bytes, not 6'],
      ['ok', 'edge1', null, undefined],
    ]);
  });
});

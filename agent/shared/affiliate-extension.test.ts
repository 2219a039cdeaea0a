import { describe, expect, it } from 'vitest';
import { Affiliate as UpstreamAffiliate } from '../../proto/gen/sidero/discovery/client/affiliate.js';
import { AffiliateExtension } from '../../proto/gen/spanwise/discovery/v1/affiliate_extension.js';
import {
  clusterKey,
  decodeAffiliatePayload,
  encodeAffiliatePayload,
  openAffiliate,
  relayKeyPrefix,
  sealAffiliate,
  type AffiliateInfo,
} from './affiliate-crypto.js';

const upstream: AffiliateInfo = {
  nodeId: 'n0deId0123456789',
  addresses: ['10.0.0.2'],
  hostname: 'edge1',
  nodename: 'edge1',
  machineType: 'worker',
  operatingSystem: 'Linux (Spanwise v0.1.0)',
  kubespan: {
    publicKey: 'mKZq0Z0zhH0e6jT0mOlt0Sx8k0E5Uo4Up4m9uL1tH3k=',
    address: 'fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169',
    additionalAddresses: [],
    excludeAdvertisedAddresses: [],
  },
};
const other = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
const extended: AffiliateInfo = { ...upstream, spanwise: { relayOffer: true, site: 'cloud', unreachable: [relayKeyPrefix(other)] } };

/** The upstream payload followed by a hand-made extension, as a hostile member could publish it. */
const withExtension = (spanwise: { relayOffer?: boolean; site?: string; unreachable?: Buffer[] }) =>
  Buffer.concat([
    encodeAffiliatePayload(upstream),
    AffiliateExtension.encode({ spanwise: { relayOffer: true, site: '', unreachable: [], ...spanwise } }).finish(),
  ]);

describe('the Spanwise affiliate extension', () => {
  it('leaves the upstream fields as a decoder that knows only them reads them', () => {
    const plain = UpstreamAffiliate.decode(encodeAffiliatePayload(upstream));
    const seen = UpstreamAffiliate.decode(encodeAffiliatePayload(extended));
    expect(seen).toEqual(plain);
    expect(Buffer.from(UpstreamAffiliate.encode(seen).finish())).toEqual(encodeAffiliatePayload(upstream));
  });

  it('round-trips through the sealed payload', () => {
    const key = clusterKey(Buffer.alloc(32, 3).toString('base64'));
    const opened = openAffiliate(key, sealAffiliate(key, extended));
    expect(opened).toEqual(extended);
    expect(opened.spanwise?.unreachable).toEqual(['000102030405']);
  });

  it('changes nothing for a payload without it: same bytes, no Spanwise field', () => {
    const bytes = encodeAffiliatePayload(upstream);
    expect(bytes).toEqual(Buffer.from(UpstreamAffiliate.encode(UpstreamAffiliate.decode(bytes)).finish()));
    const decoded = decodeAffiliatePayload(bytes);
    expect(decoded).toEqual(upstream);
    expect('spanwise' in decoded || 'spanwiseError' in decoded).toBe(false);
  });

  it.each([
    [
      'too many entries',
      withExtension({ unreachable: Array.from({ length: 33 }, (_, i) => Buffer.alloc(6, i)) }),
      'spanwise.unreachable: 33 entries, at most 32',
    ],
    ['a short key prefix', withExtension({ unreachable: [Buffer.alloc(6), Buffer.alloc(5)] }), 'spanwise.unreachable[1]: 5 bytes, not 6'],
    ['a long key prefix', withExtension({ unreachable: [Buffer.alloc(32)] }), 'spanwise.unreachable[0]: 32 bytes, not 6'],
    ['an unknown site', withExtension({ site: 'moon' }), 'spanwise.site: "moon" is not one of edge, datacenter, cloud'],
    [
      'a site with control characters',
      withExtension({ site: 'x\u001b[2J\nfake' }),
      'spanwise.site: "x\\u001b[2J\\nfake" is not one of edge, datacenter, cloud',
    ],
    ['a field 1000 malformed inside', Buffer.concat([encodeAffiliatePayload(upstream), Buffer.from('c23e010f', 'hex')]), 'spanwise: not a valid message'],
  ])('refuses %s and keeps the upstream fields', (_, payload, problem) => {
    const decoded = decodeAffiliatePayload(payload);
    expect(decoded.spanwiseError).toBe(problem);
    expect(decoded.spanwise).toBeUndefined();
    expect({ ...decoded, spanwiseError: undefined }).toEqual({ ...upstream, spanwiseError: undefined });
  });

  it('refuses to publish an extension out of bounds', () => {
    const many = { ...upstream, spanwise: { relayOffer: true, site: '' as const, unreachable: Array.from({ length: 33 }, () => '000000000000') } };
    expect(() => encodeAffiliatePayload(many)).toThrow(/at most 32/);
  });
});

import { describe, expect, it } from 'vitest';
import type { DiscoveredAffiliate } from '../resources/kinds.js';
import { buildPeerSpecs } from './peer-specs.js';

const key = (n: number) => Buffer.alloc(32, n).toString('base64');

function affiliate(
  n: number,
  extra: Partial<NonNullable<DiscoveredAffiliate['info']['kubespan']>> = {},
  addresses = [`192.0.2.${n}`],
): { id: string; spec: DiscoveredAffiliate } {
  return {
    id: `node-${n}`,
    spec: {
      info: {
        nodeId: `node-${n}`,
        addresses,
        hostname: `host${n}`,
        nodename: `n${n}`,
        machineType: 'worker',
        operatingSystem: 'Linux',
        kubespan: { publicKey: key(n), address: `fd7f:175a:b97c:5602::${n}`, additionalAddresses: [], excludeAdvertisedAddresses: [], ...extra },
      },
      endpoints: [`192.0.2.${n}:51820`],
      sources: ['http://d:3000'],
    },
  };
}

describe('peer specs', () => {
  it('builds allowed IPs from addresses, additional prefixes, exclusions and the ULA', () => {
    const { specs, overlaps } = buildPeerSpecs(
      [affiliate(1, { additionalAddresses: ['10.244.1.0/24'], excludeAdvertisedAddresses: ['10.244.1.128/25'] })],
      key(99),
    );
    expect(overlaps).toEqual([]);
    expect(specs).toEqual([
      {
        publicKey: key(1),
        label: 'n1',
        nodeId: 'node-1',
        address: 'fd7f:175a:b97c:5602::1',
        allowedIps: ['10.244.1.0/25', '192.0.2.1/32', 'fd7f:175a:b97c:5602::1/128'],
        endpoints: ['192.0.2.1:51820'],
      },
    ]);
  });

  it('skips this node, members without KubeSpan and duplicate keys', () => {
    const noKs = affiliate(3);
    delete noKs.spec.info.kubespan;
    const dup = affiliate(2);
    dup.id = 'node-9';
    expect(buildPeerSpecs([affiliate(1), affiliate(2), noKs, dup], key(1)).specs.map((s) => s.label)).toEqual(['n2']);
  });

  it('gives an overlapping range to the first peer by id and warns', () => {
    const { specs, overlaps } = buildPeerSpecs(
      [affiliate(2, { additionalAddresses: ['10.244.0.0/16'] }), affiliate(1, { additionalAddresses: ['10.244.5.0/24'] })],
      key(99),
    );
    expect(specs.map((s) => [s.label, s.allowedIps])).toEqual([
      ['n1', ['10.244.5.0/24', '192.0.2.1/32', 'fd7f:175a:b97c:5602::1/128']],
      [
        'n2',
        [
          '10.244.0.0/22',
          '10.244.4.0/24',
          '10.244.6.0/23',
          '10.244.8.0/21',
          '10.244.16.0/20',
          '10.244.32.0/19',
          '10.244.64.0/18',
          '10.244.128.0/17',
          '192.0.2.2/32',
          'fd7f:175a:b97c:5602::2/128',
        ],
      ],
    ]);
    expect(overlaps).toEqual([
      expect.objectContaining({ code: 'PEER_ADDRESS_OVERLAP', subject: key(2), evidence: expect.objectContaining({ overlap: '10.244.5.0/24', keptBy: 'n1' }) }),
    ]);
  });
});

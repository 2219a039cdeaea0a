import { describe, expect, it } from 'vitest';
import { parseDefaultRouteJson, parseIpAddrJson, pickIdentityLink } from './host-network.js';

const IP_JSON = JSON.stringify([
  {
    ifname: 'lo',
    link_type: 'loopback',
    address: '00:00:00:00:00:00',
    flags: ['LOOPBACK', 'UP'],
    mtu: 65536,
    addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }],
  },
  {
    ifname: 'veth0',
    link_type: 'ether',
    address: 'AA:00:00:00:00:01',
    flags: ['UP'],
    mtu: 1500,
    addr_info: [{ family: 'inet', local: '10.0.0.2', prefixlen: 24 }],
  },
  { ifname: 'eth1', link_type: 'ether', address: '2e:1a:b6:53:81:69', flags: ['UP'], mtu: 9000, addr_info: [] },
  { ifname: 'eth0', link_type: 'ether', address: '2e:1a:b6:53:81:60', flags: [], mtu: 1500, addr_info: [{ family: 'inet6', local: 'fe80::1', prefixlen: 64 }] },
  { ifname: 'kubespan', link_type: 'none', flags: ['UP'], mtu: 1420 },
]);

describe('host network', () => {
  it('parses ip -j addr show', () => {
    const links = parseIpAddrJson(IP_JSON, (name) => name.startsWith('eth'));
    expect(links.map((l) => [l.name, l.mac, l.physical, l.up])).toEqual([
      ['lo', undefined, false, true],
      ['veth0', 'aa:00:00:00:00:01', false, true],
      ['eth1', '2e:1a:b6:53:81:69', true, true],
      ['eth0', '2e:1a:b6:53:81:60', true, false],
      ['kubespan', undefined, false, true],
    ]);
    expect(links[1]?.addresses).toEqual(['10.0.0.2/24']);
  });

  it('picks the first physical link by name', () => {
    const links = parseIpAddrJson(IP_JSON, (name) => name.startsWith('eth'));
    expect(pickIdentityLink(links)).toMatchObject({ link: { name: 'eth0' }, fallback: false });
  });

  it('falls back to the first link with a MAC when none is physical', () => {
    const links = parseIpAddrJson(IP_JSON, () => false);
    expect(pickIdentityLink(links)).toMatchObject({ link: { name: 'eth0' }, fallback: true });
    expect(pickIdentityLink(links.filter((l) => !l.name.startsWith('eth')))).toMatchObject({ link: { name: 'veth0' }, fallback: true });
    expect(pickIdentityLink([])).toBeUndefined();
  });

  it('parses default routes', () => {
    expect(parseDefaultRouteJson('[{"dst":"default","gateway":"10.0.0.1","dev":"eth0"}]')).toEqual(['eth0']);
    expect(parseDefaultRouteJson('')).toEqual([]);
  });
});

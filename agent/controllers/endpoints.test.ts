import { describe, expect, it } from 'vitest';
import { EndpointSource } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { parseEndpointFilter, type EndpointFilter } from '../lib/endpoint-filters.js';
import { parseIp, parsePrefix, type IpAddr } from '../shared/ip.js';
import { nodeAddresses } from '../lib/node-addresses.js';
import { computeAdvertisedEndpoints } from './endpoints.js';

const ip = (s: string) => parseIp(s) as IpAddr;
const filters = (...f: string[]) => f.map((x) => parseEndpointFilter(x) as EndpointFilter);
const subnet = parsePrefix('fd7f:175a:b97c:5602::/64')!;

describe('advertised endpoints', () => {
  it('orders node addresses IPv4 first and drops link-local, loopback, ULAs and CNI links', () => {
    const addrs = nodeAddresses(
      [
        { name: 'eth0', addresses: ['2001:db8::5/64', '192.168.1.10/24', 'fe80::1/64', '10.0.0.5/8'] },
        { name: 'lo', addresses: ['127.0.0.1/8'] },
        { name: 'kubespan', addresses: ['fd7f:175a:b97c:5602::1/64'] },
        { name: 'eth1', addresses: ['fd7f:175a:b97c:5602::9/64', '169.254.1.1/16'] },
        { name: 'cni0', addresses: ['10.244.0.1/24'] },
      ],
      subnet,
    );
    expect(addrs.map((a) => a.bytes.length)).toEqual([4, 4, 16]);
    const endpoints = computeAdvertisedEndpoints({ addresses: addrs, reflected: [], filters: [], extra: [] });
    expect(endpoints.map((e) => e.address)).toEqual(['10.0.0.5:51820', '192.168.1.10:51820', '[2001:db8::5]:51820']);
  });

  it('adds the reflected IP, then filters, then appends extras unfiltered and de-duplicated', () => {
    const endpoints = computeAdvertisedEndpoints({
      addresses: [ip('10.0.0.5'), ip('2001:db8::5')],
      reflected: [ip('203.0.113.9'), ip('10.0.0.5')],
      filters: filters('0.0.0.0/0', '!10.0.0.0/8'),
      extra: ['10.0.0.5:51821', '203.0.113.9:51820', '[2001:db8::7]:1234'],
    });
    expect(endpoints).toEqual([
      { address: '203.0.113.9:51820', source: EndpointSource.ENDPOINT_SOURCE_REFLECTED, order: 0 },
      { address: '10.0.0.5:51821', source: EndpointSource.ENDPOINT_SOURCE_EXTRA, order: 1 },
      { address: '[2001:db8::7]:1234', source: EndpointSource.ENDPOINT_SOURCE_EXTRA, order: 2 },
    ]);
  });

  it('advertises only extras when filters are all negative', () => {
    const endpoints = computeAdvertisedEndpoints({
      addresses: [ip('10.0.0.5')],
      reflected: [],
      filters: filters('!192.168.0.0/16'),
      extra: ['198.51.100.1:51820'],
    });
    expect(endpoints.map((e) => e.address)).toEqual(['198.51.100.1:51820']);
  });
});

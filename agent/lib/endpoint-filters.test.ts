import { describe, expect, it } from 'vitest';
import { filterEndpointAddresses } from './endpoint-filters.js';

const addrs = ['10.0.0.5', '192.168.1.10', '203.0.113.7', '2001:db8::5', 'fd00::9'];

describe('filters.endpoints', () => {
  it('keeps everything without filters', () => {
    expect(filterEndpointAddresses(addrs, [])).toEqual(addrs);
  });

  it('includes by CIDR or bare IP', () => {
    expect(filterEndpointAddresses(addrs, ['0.0.0.0/0'])).toEqual(['10.0.0.5', '192.168.1.10', '203.0.113.7']);
    expect(filterEndpointAddresses(addrs, ['203.0.113.7'])).toEqual(['203.0.113.7']);
  });

  it('excludes with ! from what was added so far', () => {
    expect(filterEndpointAddresses(addrs, ['0.0.0.0/0', '!192.168.0.0/16', '::/0', '!fd00::/8'])).toEqual(['10.0.0.5', '203.0.113.7', '2001:db8::5']);
  });

  it('is order-sensitive: a later include re-adds what an exclude removed', () => {
    expect(filterEndpointAddresses(addrs, ['0.0.0.0/0', '!10.0.0.0/8', '10.0.0.5'])).toEqual(['192.168.1.10', '203.0.113.7', '10.0.0.5']);
    expect(filterEndpointAddresses(addrs, ['!10.0.0.0/8', '0.0.0.0/0'])).toEqual(['10.0.0.5', '192.168.1.10', '203.0.113.7']);
  });

  it('sets the dial order by filter order', () => {
    expect(filterEndpointAddresses(addrs, ['203.0.113.0/24', '::/0', '10.0.0.0/8'])).toEqual(['203.0.113.7', '2001:db8::5', 'fd00::9', '10.0.0.5']);
  });

  it('yields nothing from negatives only', () => {
    expect(filterEndpointAddresses(addrs, ['!10.0.0.0/8'])).toEqual([]);
    expect(filterEndpointAddresses(addrs, ['!10.0.0.0/8', '!192.168.0.0/16'])).toEqual([]);
  });

  it('rejects malformed filters', () => {
    expect(() => filterEndpointAddresses(addrs, ['!nope'])).toThrow(/not an IP or CIDR/);
  });
});

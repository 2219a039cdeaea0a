import { describe, expect, it } from 'vitest';
import { formatEndpoint, formatIp, formatPrefix, parseEndpoint, parseIp, parsePrefix } from './ip.js';
import { IpSet } from '../lib/ipset.js';

const set = (...cidrs: string[]) => IpSet.of(cidrs.map((c) => parsePrefix(c)!));

describe('ip', () => {
  it('round-trips IPv6 in RFC 5952 form', () => {
    for (const [input, out] of [
      ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['::', '::'],
      ['::ffff:1.2.3.4', '::ffff:102:304'],
      ['fe80::1', 'fe80::1'],
      ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ] as const) {
      expect(formatIp(parseIp(input)!)).toBe(out);
    }
    expect(parseIp('1.2.3')).toBeUndefined();
    expect(parseIp('fe80::1%eth0')).toBeUndefined();
  });

  it('parses prefixes and clears host bits', () => {
    expect(formatPrefix(parsePrefix('10.1.2.3/8')!)).toBe('10.0.0.0/8');
    expect(formatPrefix(parsePrefix('10.1.2.3')!)).toBe('10.1.2.3/32');
    expect(parsePrefix('10.0.0.0/33')).toBeUndefined();
    expect(parsePrefix('10.0.0.0/x')).toBeUndefined();
  });

  it('parses endpoints', () => {
    expect(formatEndpoint(parseEndpoint('[2001:db8::1]:51820')!)).toBe('[2001:db8::1]:51820');
    expect(formatEndpoint(parseEndpoint('1.2.3.4:1')!)).toBe('1.2.3.4:1');
    expect(parseEndpoint('2001:db8::1:51820')).toBeUndefined();
    expect(parseEndpoint('1.2.3.4:0')).toBeUndefined();
  });
});

describe('IpSet', () => {
  it('merges, subtracts and re-splits into prefixes', () => {
    expect(set('10.0.0.0/25', '10.0.0.128/25').toStrings()).toEqual(['10.0.0.0/24']);
    expect(set('10.0.0.0/24').subtract(set('10.0.0.0/32')).toStrings()).toEqual([
      '10.0.0.1/32',
      '10.0.0.2/31',
      '10.0.0.4/30',
      '10.0.0.8/29',
      '10.0.0.16/28',
      '10.0.0.32/27',
      '10.0.0.64/26',
      '10.0.0.128/25',
    ]);
    expect(set('10.0.0.0/8', 'fd00::/64').intersect(set('10.1.0.0/16', '::/0')).toStrings()).toEqual(['10.1.0.0/16', 'fd00::/64']);
    expect(set('::/0').toStrings()).toEqual(['::/0']);
    expect(set('0.0.0.0/0').subtract(set('0.0.0.0/0')).isEmpty()).toBe(true);
  });
});

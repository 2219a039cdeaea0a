import { describe, expect, it } from 'vitest';
import { formatIp } from '../shared/ip.js';
import { clusterSubnet, deriveNodeAddressing, eui64Address, parseMac } from './ula.js';

describe('KubeSpan ULA', () => {
  it('matches the test vector of the facts', () => {
    const derived = deriveNodeAddressing('8XuV9TZHW08DOk3bVxQjH9ih_TBKjnh-j44tsCLSBzo=', '2e:1a:b6:53:81:69');
    expect(derived).toEqual({ subnet: 'fd7f:175a:b97c:5602::/64', address: 'fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169' });
  });

  it('hashes the cluster id as text and sets the 0xfd and purpose bytes', () => {
    const subnet = clusterSubnet('any cluster');
    expect(subnet.bytes[0]).toBe(0xfd);
    expect(subnet.bytes[7]).toBe(0x02);
    expect(Array.from(subnet.bytes.slice(8))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('flips the universal/local bit both ways', () => {
    const subnet = clusterSubnet('x');
    const mac = parseMac('00-11-22-33-44-55');
    expect(mac).toBeDefined();
    expect(formatIp(eui64Address(subnet, mac as Uint8Array)).endsWith(':211:22ff:fe33:4455')).toBe(true);
  });

  it('rejects malformed MACs', () => {
    expect(parseMac('2e:1a:b6:53:81')).toBeUndefined();
    expect(() => deriveNodeAddressing('c', 'zz:1a:b6:53:81:69')).toThrow(/not a MAC/);
  });
});

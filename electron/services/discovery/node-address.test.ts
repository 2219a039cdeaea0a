import { describe, expect, it } from 'vitest';
import { desktopAddresses, discoveryCandidates, parseSshConnection } from './node-address.js';

describe('the address nodes reach the embedded discovery at', () => {
  it('reads $SSH_CONNECTION as the host prints it, and refuses anything else', () => {
    expect(parseSshConnection('198.18.0.2 40022 198.18.1.10 22\n')).toEqual({ client: '198.18.0.2', server: '198.18.1.10' });
    expect(parseSshConnection('::ffff:192.168.1.20 5000 ::ffff:192.168.1.30 22')).toEqual({ client: '192.168.1.20', server: '192.168.1.30' });
    expect(parseSshConnection('2001:DB8::1 5000 2001:db8::2 22')).toEqual({ client: '2001:db8::1', server: '2001:db8::2' });
    for (const bad of [
      '',
      '\n',
      '198.18.0.2 40022 198.18.1.10',
      'evil.example 1 198.18.1.10 22',
      '198.18.0.2; rm -rf / 1 2 3',
      'fe80::1%eth0 1 fe80::2%eth0 22',
      '198.18.0.2 x 198.18.1.10 22',
      `${'1'.repeat(60)} 1 2 3`,
    ]) {
      expect(parseSshConnection(bad)).toBeNull();
    }
  });

  it("tries the desktop as a direct host sees it first, then the desktop's own addresses; with a jump host only those", () => {
    const local = ['192.168.1.20', '198.18.0.2'];
    expect(discoveryCandidates({ fixed: null, seen: '198.18.0.2', jumped: false, local })).toEqual(['198.18.0.2', '192.168.1.20']);
    expect(discoveryCandidates({ fixed: null, seen: '203.0.113.7', jumped: false, local })).toEqual(['203.0.113.7', '192.168.1.20', '198.18.0.2']);
    expect(discoveryCandidates({ fixed: null, seen: '198.19.3.1', jumped: true, local })).toEqual(local);
    expect(discoveryCandidates({ fixed: 'desk.lan', seen: '198.18.0.2', jumped: false, local })).toEqual(['desk.lan']);
    expect(discoveryCandidates({ fixed: null, seen: null, jumped: false, local: Array.from({ length: 20 }, (_, i) => `10.0.0.${i}`) })).toHaveLength(8);
  });

  it("lists this desktop's addresses without loopback and link-local, IPv4 first", () => {
    const iface = (address: string, internal = false) =>
      ({ address, internal, family: address.includes(':') ? 'IPv6' : 'IPv4', netmask: '', mac: '', cidr: null }) as never;
    const found = desktopAddresses({
      lo: [iface('127.0.0.1', true), iface('::1', true)],
      eth0: [iface('fe80::1'), iface('2001:db8::5'), iface('192.168.1.20'), iface('169.254.3.3')],
      wg0: [iface('10.8.0.1')],
    });
    expect(found).toEqual(['192.168.1.20', '10.8.0.1', '2001:db8::5']);
  });
});

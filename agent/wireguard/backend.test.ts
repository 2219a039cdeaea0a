import { describe, expect, it } from 'vitest';
import { DryRunBackend } from './dry-run-backend.js';
import { parseWgDump } from './dump.js';
import { nftRuleset } from './nftables.js';
import { hasMeshRule } from './routing.js';
import type { DeviceConfig } from './types.js';

const PSK = Buffer.alloc(32, 9).toString('base64');
const key = (n: number) => Buffer.alloc(32, n).toString('base64');

function desired(peers = 2): DeviceConfig {
  return {
    privateKey: key(1),
    presharedKey: PSK,
    listenPort: 51820,
    mtu: 1420,
    address: 'fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169/64',
    peers: Array.from({ length: peers }, (_, i) => ({
      publicKey: key(10 + i),
      endpoint: `192.0.2.${i + 1}:51820`,
      allowedIps: [`10.0.${i}.1/32`, `fd7f:175a:b97c:5602::${i + 1}/128`],
    })),
    forwarded: [],
    routed: { v4: ['10.0.0.1/32', '10.0.1.1/32'], v6: [] },
  };
}

describe('dry-run WireGuard backend', () => {
  it('creates everything on the first apply, without secrets in arguments', async () => {
    const backend = new DryRunBackend();
    const report = await backend.apply(desired());
    expect(report).toMatchObject({ peersChanged: 2, peersRemoved: 0, routingChanged: true, firewallChanged: true });
    const lines = backend.lines();
    expect(lines).toContain('ip link set dev kubespan mtu 1420 up');
    expect(lines).toContain('ip -6 addr replace fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169/64 dev kubespan');
    expect(lines).toContain('wg set kubespan private-key /run/spanwise/kubespan.key listen-port 51820 fwmark 0x20');
    expect(lines).toContain('ip -4 route replace default dev kubespan table 180 mtu 1420');
    expect(lines).toContain('ip -6 rule add priority 32500 fwmark 0x40/0x60 table 180');
    expect(lines).toContain('nft -f - <<stdin');
    expect(lines.join('\n')).not.toContain(PSK);
    expect(lines.join('\n')).not.toContain(key(1));
  });

  it('runs nothing when nothing changed', async () => {
    const backend = new DryRunBackend();
    await backend.apply(desired());
    backend.recorder.commands.length = 0;
    expect(await backend.apply(desired())).toMatchObject({ commands: 0, peersChanged: 0 });
  });

  it('changes only the peer that changed, and kicks its keepalive after an endpoint change', async () => {
    const backend = new DryRunBackend();
    await backend.apply(desired(3));
    backend.recorder.commands.length = 0;
    const next = desired(3);
    next.peers[1] = { ...next.peers[1]!, endpoint: '198.51.100.7:51820' };
    next.peers.pop();
    const report = await backend.apply(next);
    expect(report).toMatchObject({ commands: 3, peersChanged: 1, peersRemoved: 1, routingChanged: false, firewallChanged: false });
    expect(backend.lines()).toEqual([
      `wg set kubespan peer ${key(12)} remove`,
      `wg set kubespan peer ${key(11)} preshared-key /run/spanwise/kubespan.psk persistent-keepalive 0 allowed-ips 10.0.1.1/32,fd7f:175a:b97c:5602::2/128 endpoint 198.51.100.7:51820`,
      `wg set kubespan peer ${key(11)} persistent-keepalive 25`,
    ]);
  });

  it('re-creates a peer that is not up when its endpoint changes, so its handshake starts at once', async () => {
    const backend = new DryRunBackend();
    await backend.apply(desired(2));
    backend.recorder.commands.length = 0;
    const next = desired(2);
    next.peers[0] = { ...next.peers[0]!, endpoint: '198.51.100.9:51820', redial: true };
    next.peers[1] = { ...next.peers[1]!, redial: true };
    expect(await backend.apply(next)).toMatchObject({ peersChanged: 1, peersRemoved: 0 });
    expect(backend.lines()).toEqual([
      `wg set kubespan peer ${key(10)} remove`,
      `wg set kubespan peer ${key(10)} preshared-key /run/spanwise/kubespan.psk persistent-keepalive 0 allowed-ips 10.0.0.1/32,fd7f:175a:b97c:5602::1/128 endpoint 198.51.100.9:51820`,
      `wg set kubespan peer ${key(10)} persistent-keepalive 25`,
    ]);
  });

  it('re-sends every peer in full mode (the naive baseline)', async () => {
    const backend = new DryRunBackend({ full: true });
    await backend.apply(desired(3));
    expect((await backend.apply(desired(3))).peersChanged).toBe(3);
  });
});

describe('wg dump', () => {
  it('parses interface and peers, keeping only fingerprints of keys', () => {
    const dump = [
      `${key(1)}\t${key(2)}\t51820\t0x20`,
      `${key(3)}\t${PSK}\t[2001:db8::1]:51820\t10.0.0.1/32,fd00::1/128\t1700000000\t100\t200\t25`,
      `${key(4)}\t(none)\t(none)\t(none)\t0\t0\t0\toff`,
    ].join('\n');
    const device = parseWgDump(dump)!;
    expect(device).toMatchObject({ publicKey: key(2), listenPort: 51820, fwmark: 0x20 });
    expect(JSON.stringify([...device.peers.values()])).not.toContain(PSK);
    expect(device.peers.get(key(3))).toMatchObject({
      endpoint: '[2001:db8::1]:51820',
      lastHandshake: 1_700_000_000_000,
      rxBytes: 100,
      txBytes: 200,
      keepaliveSec: 25,
    });
    expect(device.peers.get(key(4))).toMatchObject({ endpoint: undefined, allowedIps: [], lastHandshake: undefined, keepaliveSec: 0 });
  });
});

describe('routing and nftables', () => {
  it('generates the marks, chains and MSS clamp of the facts', () => {
    const text = nftRuleset(1420, { v4: ['10.244.0.0/16'], v6: [] });
    expect(text).toContain('type filter hook prerouting priority filter; policy accept;');
    expect(text).toContain('type route hook output priority filter; policy accept;');
    expect(text).toContain('meta mark & 0x00000060 == 0x00000020 accept');
    expect(text).toContain('ip daddr @kubespan_targets_ipv4 meta mark set meta mark & 0xffffff9f xor 0x00000040 accept');
    expect(text).toContain('tcp option maxseg size set 1368');
    expect(text).toContain('tcp option maxseg size set 1348');
    expect(text).toContain('oifname "lo" accept');
    expect(text).toContain('elements = { 10.244.0.0/16 }');
    expect(text.match(/elements/g)).toHaveLength(1);
  });

  it('lets probe traffic out unmarked, before any marking rule, so probes test the underlay', () => {
    const lines = nftRuleset(1420, { v4: ['198.18.1.11/32'], v6: [] })
      .split('\n')
      .map((l) => l.trim());
    const bypass = [
      'meta l4proto udp @th,64,64 0x5350414e57495345 accept',
      'tcp sport 520-599 ct direction original accept',
      'tcp dport 520-599 ct direction reply accept',
    ];
    const firstMark = lines.findIndex((l) => l.startsWith('ip daddr @kubespan_targets_ipv4') && l.includes('output') === false && l.includes('maxseg'));
    for (const rule of bypass) {
      expect(lines.indexOf(rule)).toBeGreaterThan(0);
      expect(lines.indexOf(rule)).toBeLessThan(firstMark);
    }
    expect(Buffer.from('5350414e57495345', 'hex').toString()).toBe('SPANWISE');
  });

  it('finds the policy rule in ip -j rule output', () => {
    expect(hasMeshRule('[{"priority":32500,"src":"all","fwmark":"0x40","fwmask":"0x60","table":"180"}]')).toBe(true);
    expect(hasMeshRule('[{"priority":32500,"src":"all","fwmark":"0x40","table":"180"}]')).toBe(false);
  });
});

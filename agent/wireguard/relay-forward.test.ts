import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DryRunBackend } from './dry-run-backend.js';
import { nftRuleset } from './nftables.js';
import { KUBESPAN, type DeviceConfig } from './types.js';

const key = (n: number) => Buffer.alloc(32, n).toString('base64');
const pair: [string[], string[]] = [
  ['192.0.2.10/32', 'fd7f:175a:b97c:5602::1/128'],
  ['192.0.2.20/32', 'fd7f:175a:b97c:5602::2/128'],
];
const config = (forwarded: [string[], string[]][]): DeviceConfig => ({
  privateKey: key(1),
  presharedKey: key(9),
  listenPort: 51820,
  mtu: 1420,
  address: 'fd7f:175a:b97c:5602::3/64',
  peers: [],
  forwarded,
  routed: { v4: ['192.0.2.10/32', '192.0.2.20/32'], v6: [] },
});

describe('relay forwarding', () => {
  it('forwards only between the two ends of a relayed pair, both ways, and drops the rest to or from the link', () => {
    const lines = nftRuleset(1420, { v4: [], v6: [] }, [pair]).split('\n');
    const chain = lines.slice(lines.indexOf('  chain kubespan_forward {')).map((l) => l.trim());
    const link = `iifname "${KUBESPAN.link}" oifname "${KUBESPAN.link}"`;
    expect(chain.slice(0, 8)).toEqual([
      'chain kubespan_forward {',
      'type filter hook forward priority filter; policy accept;',
      `${link} ip saddr { 192.0.2.10/32 } ip daddr { 192.0.2.20/32 } counter accept`,
      `${link} ip saddr { 192.0.2.20/32 } ip daddr { 192.0.2.10/32 } counter accept`,
      `${link} ip6 saddr { fd7f:175a:b97c:5602::1/128 } ip6 daddr { fd7f:175a:b97c:5602::2/128 } counter accept`,
      `${link} ip6 saddr { fd7f:175a:b97c:5602::2/128 } ip6 daddr { fd7f:175a:b97c:5602::1/128 } counter accept`,
      `iifname "${KUBESPAN.link}" counter drop`,
      `oifname "${KUBESPAN.link}" counter drop`,
    ]);
    expect(nftRuleset(1420, { v4: [], v6: [] })).not.toContain('forward');
  });

  it("keeps carrying the node's own pod networks through the mesh on a relay node", () => {
    const lines = nftRuleset(1420, { v4: [], v6: [] }, [pair], ['10.244.3.0/24']).split('\n');
    const drop = lines.indexOf(`    iifname "${KUBESPAN.link}" counter drop`);
    expect(lines.indexOf(`    iifname "${KUBESPAN.link}" ip daddr { 10.244.3.0/24 } accept`)).toBeLessThan(drop);
    expect(lines.indexOf(`    oifname "${KUBESPAN.link}" ip saddr { 10.244.3.0/24 } accept`)).toBeLessThan(drop);
    expect(lines.indexOf(`    oifname "${KUBESPAN.link}" ip saddr { 10.244.3.0/24 } accept`)).toBeGreaterThan(0);
  });

  it('puts the forward chain in place before turning forwarding on, and turns it off before removing the chain', async () => {
    const backend = new DryRunBackend();
    await backend.apply(config([]));
    expect(backend.lines().some((l) => l.startsWith('sysctl'))).toBe(false);
    backend.recorder.commands.length = 0;
    await backend.apply(config([pair]));
    expect(backend.lines()).toEqual([
      'nft -f - <<stdin',
      `sysctl -q -w net.ipv4.conf.${KUBESPAN.link}.forwarding=1 net.ipv6.conf.${KUBESPAN.link}.force_forwarding=1`,
    ]);
    backend.recorder.commands.length = 0;
    await backend.apply(config([pair]));
    expect(backend.lines()).toEqual([]);
    await backend.apply(config([]));
    expect(backend.lines()).toEqual([
      `sysctl -q -w net.ipv4.conf.${KUBESPAN.link}.forwarding=0 net.ipv6.conf.${KUBESPAN.link}.force_forwarding=0`,
      'nft -f - <<stdin',
    ]);
  });
});

const ns = `sw-relay-nft-${process.pid}`;

describe('the relay ruleset on a real kernel', () => {
  beforeAll(() => execFileSync('ip', ['netns', 'add', ns]));
  afterAll(() => execFileSync('ip', ['netns', 'del', ns]));

  it('loads, with the forward chain and its counters', () => {
    execFileSync('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], { input: nftRuleset(1420, config([]).routed, [pair], ['10.244.3.0/24', 'fd00:10:244::/64']) });
    const listed = execFileSync('ip', ['netns', 'exec', ns, 'nft', 'list', 'chain', 'inet', KUBESPAN.nftTable, 'kubespan_forward'], { encoding: 'utf8' });
    expect(listed).toContain('ip6 saddr fd7f:175a:b97c:5602::2 ip6 daddr fd7f:175a:b97c:5602::1 counter packets 0 bytes 0 accept');
    expect(listed).toContain(`oifname "${KUBESPAN.link}" counter packets 0 bytes 0 drop`);
  });
});

import { describe, expect, it } from 'vitest';
import type { DiscoveredAffiliate } from '../resources/kinds.js';
import { buildDeviceConfig } from './manager.js';
import { buildPeerSpecs } from './peer-specs.js';

const key = (n: number) => Buffer.alloc(32, n).toString('base64');
const names = ['', 'edge1', 'edge2', 'cloud1', 'talos1'];

function member(n: number, os = 'Linux (Spanwise v0.1.0)'): { id: string; spec: DiscoveredAffiliate } {
  const name = names[n] ?? `n${n}`;
  return {
    id: `node-${n}`,
    spec: {
      info: {
        nodeId: `node-${n}`,
        addresses: [`192.0.2.${n * 10}`],
        hostname: name,
        nodename: name,
        machineType: 'worker',
        operatingSystem: os,
        kubespan: { publicKey: key(n), address: `fd7f:175a:b97c:5602::${n}`, additionalAddresses: [], excludeAdvertisedAddresses: [] },
      },
      endpoints: [`192.0.2.${n}:51820`],
      sources: ['http://d:3000'],
    },
  };
}

const mesh = [member(1), member(2), member(3), member(4, 'Talos (v1.9.2)')];
const relays = [{ between: ['edge1', 'edge2'] as [string, string], via: 'cloud1' }];
const specsOn = (n: number, list = relays) =>
  buildPeerSpecs(
    mesh.filter((_, i) => i + 1 !== n),
    key(n),
    { ownName: names[n] ?? '', relays: list },
  );
const byLabel = (n: number, list = relays) => new Map(specsOn(n, list).specs.map((s) => [s.label, s]));
const device = (n: number) =>
  buildDeviceConfig({
    privateKey: key(n),
    presharedKey: key(50),
    mtu: 1420,
    address: `fd7f:175a:b97c:5602::${n}`,
    subnet: 'fd7f:175a:b97c:5602::/64',
    allowDownPeerBypass: false,
    specs: specsOn(n).specs,
    statuses: new Map(),
    ownName: names[n],
    relays,
  });

describe('relays in the peer specs', () => {
  it("on an end, routes the other end's addresses to the relay and does not dial the other end", () => {
    const specs = byLabel(1);
    expect(specs.get('cloud1')?.allowedIps).toEqual(['192.0.2.20/32', '192.0.2.30/32', 'fd7f:175a:b97c:5602::2/127']);
    expect(specs.get('edge2')).toMatchObject({ allowedIps: [], endpoints: [], viaPublicKey: key(3) });
    expect(specs.get('talos1')?.viaPublicKey).toBeUndefined();
    const config = device(1);
    expect(config.peers.map((p) => p.publicKey).sort()).toEqual([key(3), key(4)].sort());
    expect(config.routed.v4).toContain('192.0.2.20/32');
    expect(config.forwarded).toEqual([]);
  });

  it('does the same on the other end, through the same relay', () => {
    const specs = byLabel(2);
    expect(specs.get('cloud1')?.allowedIps).toContain('fd7f:175a:b97c:5602::1/128');
    expect(specs.get('edge1')).toMatchObject({ allowedIps: [], viaPublicKey: key(3) });
  });

  it('on the relay, keeps both ends as direct peers and forwards between them only', () => {
    const specs = byLabel(3);
    expect(specs.get('edge1')?.allowedIps).toEqual(['192.0.2.10/32', 'fd7f:175a:b97c:5602::1/128']);
    expect(specs.get('edge2')?.viaPublicKey).toBeUndefined();
    expect(device(3).forwarded).toEqual([
      [
        ['192.0.2.10/32', 'fd7f:175a:b97c:5602::1/128'],
        ['192.0.2.20/32', 'fd7f:175a:b97c:5602::2/128'],
      ],
    ]);
    expect(device(3).peers).toHaveLength(3);
  });

  it('leaves nodes outside the relayed pair unchanged', () => {
    expect(device(4).forwarded).toEqual([]);
    expect([...byLabel(4).values()].every((s) => s.viaPublicKey === undefined)).toBe(true);
  });

  it('refuses a relay with a Talos member or a missing one, with a warning naming it', () => {
    const talos = specsOn(1, [{ between: ['edge1', 'talos1'], via: 'cloud1' }]);
    expect(talos.specs.find((s) => s.label === 'talos1')?.allowedIps).toEqual(['192.0.2.40/32', 'fd7f:175a:b97c:5602::4/128']);
    expect(talos.refusals).toEqual([expect.objectContaining({ code: 'RELAY_REFUSED', evidence: expect.objectContaining({ notManaged: 'talos1' }) })]);
    const missing = specsOn(1, [{ between: ['edge1', 'edge2'], via: 'gone' }]);
    expect(missing.specs.find((s) => s.label === 'edge2')?.viaPublicKey).toBeUndefined();
    expect(missing.refusals[0]?.text).toContain('gone not in the mesh');
  });
});

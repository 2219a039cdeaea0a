import { describe, expect, it } from 'vitest';
import { relayKeyPrefix, type AffiliateInfo, type SpanwiseInfo } from '../shared/affiliate-crypto.js';
import type { DiscoveredAffiliate } from '../resources/kinds.js';
import { buildDeviceConfig } from './manager.js';
import { buildPeerSpecs } from './peer-specs.js';
import { chooseAutoRelays, type RelayMember } from './relay-auto-choice.js';
import { relayMember } from './relay-plan.js';

const key = (n: number) => Buffer.alloc(32, n).toString('base64');
/** name, node id, site; node ids put dc1 first so "cloud first" is seen. */
const nodes: [string, string, SpanwiseInfo['site']][] = [
  ['dc1', 'a-dc1', 'datacenter'],
  ['cloud1', 'c-cloud1', 'cloud'],
  ['cloud2', 'b-cloud2', 'cloud'],
  ['edge1', 'd-edge1', 'edge'],
  ['edge2', 'e-edge2', 'edge'],
  ['talos1', 'f-talos1', ''],
];
const index = (name: string) => nodes.findIndex(([n]) => n === name) + 1;

/** The affiliate of a node reporting `unreachable` (names); talos1 runs Talos and publishes no extension. */
function info(name: string, unreachable: string[] = [], offer = true): AffiliateInfo {
  const n = index(name);
  const [, nodeId, site] = nodes[n - 1]!;
  const talos = name.startsWith('talos');
  return {
    nodeId,
    addresses: [`192.0.2.${n}`],
    hostname: name,
    nodename: name,
    machineType: 'worker',
    operatingSystem: talos ? 'Talos (v1.9.2)' : 'Linux (Spanwise v0.1.0)',
    kubespan: { publicKey: key(n), address: `fd7f:175a:b97c:5602::${n}`, additionalAddresses: [], excludeAdvertisedAddresses: [] },
    ...(talos ? {} : { spanwise: { relayOffer: offer, site, unreachable: unreachable.map((u) => relayKeyPrefix(key(index(u)))) } }),
  };
}

const members = (reports: Record<string, string[]>, off: string[] = []): RelayMember[] =>
  nodes.map(([name, id]) => relayMember(id, info(name, reports[name], !off.includes(name))) as RelayMember);

const via = (reports: Record<string, string[]>, off: string[] = [], manual = []) => chooseAutoRelays(members(reports, off), manual);
/** The relay of the edge pair alone. */
const edgeVia = (reports: Record<string, string[]>) => via(reports).find((r) => r.between.join() === 'edge1,edge2')?.via;

describe('the automatic relay choice', () => {
  it('relays a pair one end reports unreachable through a cloud node first, then the lowest node id', () => {
    expect(via({ edge1: ['edge2'] })).toEqual([{ between: ['edge1', 'edge2'], via: 'cloud2' }]);
    expect(via({ edge2: ['edge1'] })).toEqual([{ between: ['edge1', 'edge2'], via: 'cloud2' }]);
    expect(via({})).toEqual([]);
  });

  it('gives the same relay whatever order the members come in', () => {
    const list = members({ edge1: ['edge2'], edge2: ['edge1', 'cloud2'] });
    const expected = [
      { between: ['edge1', 'edge2'], via: 'cloud1' },
      { between: ['cloud2', 'edge2'], via: 'cloud1' },
    ];
    expect(chooseAutoRelays(list, [])).toEqual(expected);
    expect(chooseAutoRelays([...list].reverse(), [])).toEqual(expected);
    expect(chooseAutoRelays([list[3]!, list[0]!, list[5]!, list[2]!, list[4]!, list[1]!], [])).toEqual(expected);
  });

  it('moves to the next candidate when an end, or the relay, reports the relay unreachable, and to none when all are', () => {
    expect(via({ edge1: ['edge2', 'cloud2'] })).toEqual([
      { between: ['edge1', 'edge2'], via: 'cloud1' },
      { between: ['cloud2', 'edge1'], via: 'cloud1' },
    ]);
    expect(edgeVia({ edge1: ['edge2'], cloud2: ['edge2'] })).toBe('cloud1');
    expect(edgeVia({ edge1: ['edge2', 'cloud2'], edge2: ['cloud1'] })).toBe('dc1');
    expect(edgeVia({ edge1: ['edge2', 'cloud2', 'dc1'], edge2: ['cloud1'] })).toBeUndefined();
  });

  it('prefers a relay no member reports unreachable, so the ends and the relay agree while each sees only its own report', () => {
    // cloud2 stopped, and discovery with it: every member still holds the others' old reports, and its own new one.
    const before = { edge1: ['edge2'], edge2: ['edge1'] };
    const seenBy = (name: string) => edgeVia({ ...before, [name]: [...((before as Record<string, string[]>)[name] ?? []), 'cloud2'] });
    expect(edgeVia(before)).toBe('cloud2');
    expect(['edge1', 'edge2', 'cloud1'].map(seenBy)).toEqual(['cloud1', 'cloud1', 'cloud1']);
  });

  it('never relays a pair with a Talos member nor through one, nor a member in manual mode', () => {
    expect(via({ edge1: ['talos1'] })).toEqual([]);
    expect(via({ edge1: ['edge2'] }, ['edge2'])).toEqual([]);
    expect(edgeVia({ edge1: ['edge2', 'cloud1', 'cloud2', 'dc1'] })).toBeUndefined();
    expect(via({ edge1: ['edge2'] }, ['cloud2'])).toEqual([{ between: ['edge1', 'edge2'], via: 'cloud1' }]);
  });

  it('leaves a pair with a manual relay to it', () => {
    const manual = [{ between: ['edge2', 'edge1'] as [string, string], via: 'dc1' }];
    expect(chooseAutoRelays(members({ edge1: ['edge2'], cloud1: ['dc1'] }), manual)).toEqual([{ between: ['cloud1', 'dc1'], via: 'cloud2' }]);
  });

  it('brings both ends and the relay to one plan: each end routes the other through the relay, which forwards the pair', () => {
    const affiliates = nodes.map(([name, id]): { id: string; spec: DiscoveredAffiliate } => ({
      id,
      spec: { info: info(name, name === 'edge1' ? ['edge2'] : []), endpoints: [`198.51.100.${index(name)}:51820`], sources: [] },
    }));
    const relays = chooseAutoRelays(
      affiliates.map((a) => relayMember(a.id, a.spec.info) as RelayMember),
      [],
    );
    const on = (name: string) =>
      buildPeerSpecs(
        affiliates.filter((a) => a.spec.info.nodename !== name),
        key(index(name)),
        { ownName: name, relays, keepEndpoints: true },
      ).specs;
    const edge2On1 = on('edge1').find((s) => s.label === 'edge2');
    const edge1On2 = on('edge2').find((s) => s.label === 'edge1');
    expect(edge2On1).toMatchObject({ viaPublicKey: key(index('cloud2')), allowedIps: [], endpoints: ['198.51.100.5:51820'] });
    expect(edge1On2).toMatchObject({ viaPublicKey: key(index('cloud2')), allowedIps: [] });
    expect(on('edge1').find((s) => s.label === 'cloud2')?.allowedIps).toContain('fd7f:175a:b97c:5602::5/128');
    const relay = buildDeviceConfig({
      privateKey: key(index('cloud2')),
      presharedKey: key(99),
      mtu: 1420,
      address: 'fd7f:175a:b97c:5602::3',
      subnet: 'fd7f:175a:b97c:5602::/64',
      allowDownPeerBypass: false,
      specs: on('cloud2'),
      statuses: new Map(),
      ownName: 'cloud2',
      relays,
    });
    expect(relay.forwarded).toEqual([
      [
        ['192.0.2.4/32', 'fd7f:175a:b97c:5602::4/128'],
        ['192.0.2.5/32', 'fd7f:175a:b97c:5602::5/128'],
      ],
    ]);
    const end = buildDeviceConfig({ ...relayDevice(on('edge1')), dial: { [key(index('edge2'))]: '198.51.100.5:51820' } });
    expect(end.peers.find((p) => p.publicKey === key(index('edge2')))).toEqual({
      publicKey: key(index('edge2')),
      endpoint: '198.51.100.5:51820',
      allowedIps: [],
    });
    expect(end.routed.v6).not.toContain('fd7f:175a:b97c:5602::5/128');
  });
});

function relayDevice(specs: ReturnType<typeof buildPeerSpecs>['specs']) {
  return {
    privateKey: key(index('edge1')),
    presharedKey: key(99),
    mtu: 1420,
    address: 'fd7f:175a:b97c:5602::4',
    subnet: 'fd7f:175a:b97c:5602::/64',
    allowDownPeerBypass: false,
    specs,
    statuses: new Map(),
  };
}

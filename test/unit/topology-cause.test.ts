import { describe, expect, it } from 'vitest';
import { hostFirewallEvidence } from '../support/diagnosis-fixtures/lab-scenarios.js';
import { hybridEvidenceDcOpen, hybridJumps, hybridReport, hybridSnapshot } from '../support/diagnosis-fixtures/hybrid-report.js';
import { simulatedNodes } from '../browser/mesh-fixtures.js';
import { report } from '../../electron/services/diagnosis/diagnose.js';
import { causeOf, type Cause } from '../../renderer/topology/cause.js';
import { layoutTopology, type Point, type SiteBox } from '../../renderer/topology/layout.js';
import { lane, pathPair } from '../../renderer/topology/path.js';
import { flowRoute, linkRoute, wallHalf, wallPoint, type RouteContext } from '../../renderer/topology/route.js';
import { fewestToOpen, predict } from '../../renderer/topology/what-if.js';

const hybridNodes = hybridSnapshot().nodes;
const names = hybridNodes.map((n) => n.name);
const allUp = () => true;

function contextOf(nodes: Array<{ name: string; site: 'edge' | 'datacenter' | 'cloud' }>, cause: Cause): RouteContext {
  const layout = layoutTopology(nodes, 960, cause.gateways);
  return { layout, siteOf: new Map(nodes.map((n) => [n.name, n.site])), gatewayOf: cause.gatewayOf };
}

/** Whether the segment p-q passes through the inside of the box (touching its border does not count). */
function crosses(p: Point, q: Point, box: SiteBox): boolean {
  const inside = (t: number) => {
    const x = p.x + (q.x - p.x) * t;
    const y = p.y + (q.y - p.y) * t;
    return x > box.x + 0.5 && x < box.x + box.width - 0.5 && y > box.y + 0.5 && y < box.y + box.height - 0.5;
  };
  for (let i = 0; i <= 200; i++) if (inside(i / 200)) return true;
  return false;
}

describe('topology routing', () => {
  it('routes every link between two sites round the third site and outside no endpoint site', () => {
    const nodes = simulatedNodes(60);
    const cause: Cause = { gateways: [], gatewayOf: new Map(), walls: [], flows: [] };
    const ctx = contextOf(nodes, cause);
    let checked = 0;
    for (const a of nodes) {
      for (const b of nodes) {
        if (a.site === b.site) continue;
        const route = linkRoute(ctx, a.name, b.name);
        for (const box of ctx.layout.sites.filter((s) => s.kind !== a.site && s.kind !== b.site))
          for (let i = 1; i < route.length; i++)
            expect(crosses(route[i - 1] as Point, route[i] as Point, box), `${a.name}-${b.name} through ${box.kind}`).toBe(false);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });

  it('takes edge1 to cloud2 through edge-gw and over the public net, not through the Datacenter box', () => {
    const cause = causeOf(hybridNodes, hybridReport(), hybridJumps);
    const ctx = contextOf(hybridNodes, cause);
    const route = linkRoute(ctx, 'edge1', 'cloud2');
    const dc = ctx.layout.sites.find((s) => s.kind === 'datacenter') as SiteBox;
    expect(route.slice(1).some((p, i) => crosses(route[i] as Point, p, dc))).toBe(false);
    expect(route[1]).toEqual(ctx.layout.gateways.get(cause.gatewayOf.get('edge1') as string));
    expect(Math.min(...route.map((p) => p.y))).toBeLessThan(ctx.layout.netBottom);
  });
});

/** Whether the segment p-q crosses a wall's bar: the horizontal line wallHalf either side of `bar`. */
function crossesBar(p: Point, q: Point, bar: Point): boolean {
  if (p.y === q.y || (p.y - bar.y) * (q.y - bar.y) > 0) return false;
  const x = p.x + ((q.x - p.x) * (bar.y - p.y)) / (q.y - p.y);
  return Math.abs(x - bar.x) <= wallHalf;
}

/** A wall's place in the stack of walls at its place and direction, as the drawing stacks them. */
const stackOf = (cause: Cause, wall: Cause['walls'][number]): number =>
  cause.walls.filter((w) => w.place === wall.place && w.direction === wall.direction).indexOf(wall);

describe('arrows at gateways', () => {
  it("leaves edge1's gateway beside its inbound wall bars, so its arrows to other sites cross none of them", () => {
    const cause = causeOf(hybridNodes, hybridReport(), hybridJumps);
    const ctx = contextOf(hybridNodes, cause);
    const edgeGw = cause.gatewayOf.get('edge1');
    const bars = cause.walls.filter((w) => w.place === edgeGw && w.direction === 'inbound').map((w) => wallPoint(ctx, w, stackOf(cause, w)));
    expect(bars).toHaveLength(2);
    const out = cause.flows.filter((f) => f.from === 'edge1');
    expect(out.map((f) => `${f.to}:${f.key}`)).toEqual(['dc1:udp51820']);
    for (const f of out) {
      const wall = cause.walls.find((w) => w.id === f.wall) as Cause['walls'][number];
      const route = flowRoute(ctx, f, wall, stackOf(cause, wall));
      for (let i = 1; i < route.length; i++) for (const bar of bars) expect(crossesBar(route[i - 1] as Point, route[i] as Point, bar)).toBe(false);
      const end = route.at(-1) as Point;
      const stop = wallPoint(ctx, wall, stackOf(cause, wall));
      expect(Math.hypot(end.x - stop.x, end.y - stop.y)).toBeLessThan(4);
    }
  });

  it('names a gateway by its jump host: a host name, or the inventory machine at that address, with the address under it; a bare address alone', () => {
    const r = hybridReport();
    const dcGateway = (machines: Parameters<typeof causeOf>[2]) => causeOf(hybridNodes, r, machines).gateways.find((g) => g.nodes.includes('dc1'));
    expect(dcGateway(hybridJumps)).toMatchObject({ label: 'dc-gw', name: 'dc-gw', address: '198.18.2.1' });
    const bare = [{ name: 'dc1', jump: [{ user: 'root', host: '198.18.2.1', port: 22 }] }];
    expect(dcGateway(bare)).toMatchObject({ label: '198.18.2.1', name: null, address: '198.18.2.1' });
    const inventory = [...bare, { name: 'dc-router', ssh: { host: '198.18.2.1' }, jump: [] }];
    expect(dcGateway(inventory)).toMatchObject({ label: 'dc-router', name: 'dc-router', address: '198.18.2.1' });
    const named = causeOf(hybridNodes, r, hybridJumps);
    const layout = layoutTopology(hybridNodes, 960, named.gateways);
    const id = named.gatewayOf.get('dc1') as string;
    expect(layout.gatewayBelow.get(id)).toBeGreaterThan(20);
    expect(layoutTopology(hybridNodes, 960, causeOf(hybridNodes, r, bare).gateways).gatewayBelow.has(id)).toBe(false);
  });
});

describe('walls from the diagnosis', () => {
  it('puts the hybrid block on dc-gw, inbound UDP 51820, and stops the probes to dc1 there', () => {
    const cause = causeOf(hybridNodes, hybridReport(), hybridJumps);
    const dcGw = cause.gateways.find((g) => g.label === 'dc-gw');
    expect(dcGw).toMatchObject({ site: 'datacenter', publicIp: '198.18.2.1', nat: 'port-preserving', nodes: ['dc1'] });
    const wall = cause.walls.find((w) => w.place === dcGw?.id && w.key === 'udp51820');
    expect(wall).toMatchObject({ at: 'gateway', direction: 'inbound', findingId: 'UDP_51820_INBOUND_BLOCKED:dc1' });
    expect(cause.flows.filter((f) => f.wall === wall?.id).map((f) => `${f.from}>${f.to}`)).toEqual(['cloud1>dc1', 'cloud2>dc1', 'edge1>dc1']);
    const edgeWalls = cause.walls.filter((w) => w.place === cause.gatewayOf.get('edge1'));
    expect(edgeWalls.map((w) => [w.key, w.direction, w.reason])).toEqual([
      ['udp51820', 'inbound', 'the NAT forwards nothing to it'],
      ['tcp50000', 'inbound', 'the gateway drops it'],
    ]);
    expect(cause.walls.filter((w) => w.at === 'host')).toEqual([]);
  });

  it("puts a host rule's block on the host itself, and ends its arrows at the host's ring", () => {
    const evidence = hostFirewallEvidence('up');
    const nodes = evidence.nodes.map((n) => ({ name: n.name, site: n.site }));
    const cause = causeOf(nodes, report(evidence, 1));
    const wall = cause.walls.find((w) => w.at === 'host');
    expect(wall).toMatchObject({ place: 'cloud2', key: 'udp51820', direction: 'inbound', findingId: 'UDP_51820_INBOUND_BLOCKED:cloud2' });
    const ctx = contextOf(nodes, cause);
    const flow = cause.flows.find((f) => f.from === 'cloud1' && f.to === 'cloud2' && f.key === 'udp51820');
    const end = flowRoute(ctx, flow as NonNullable<typeof flow>, wall as NonNullable<typeof wall>, 0).at(-1) as Point;
    const at = ctx.layout.positions.get('cloud2') as Point;
    expect(Math.hypot(end.x - at.x, end.y - at.y)).toBeCloseTo(ctx.layout.radius + 7, 0);
  });
});

describe('what-if', () => {
  it('predicts, for dc-gw switched off, the matrices and score the diagnosis computes once dc-gw lets UDP 51820 in', () => {
    const before = hybridReport();
    const cause = causeOf(hybridNodes, before, hybridJumps);
    const wall = cause.walls.find((w) => w.findingId === 'UDP_51820_INBOUND_BLOCKED:dc1') as Cause['walls'][number];
    const predicted = predict(before, cause, new Set([wall.id]), names, allUp);
    const after = hybridReport(hybridEvidenceDcOpen());
    const actual = predict(after, causeOf(hybridNodes, after, hybridJumps), new Set(), names, allUp);
    expect(predicted.matrix.udp51820).toEqual(after.matrix.udp51820);
    expect(predicted.matrix.tcp50000).toEqual(after.matrix.tcp50000);
    expect(predicted.score).toBe(actual.score);
    const every = (p: typeof predicted) => names.flatMap((a, i) => names.slice(i + 1).map((b) => `${a}|${b}:${p.pair(a, b)}`));
    expect(every(predicted)).toEqual(every(actual));
    expect(predicted.counts).toEqual(actual.counts);
    expect(predict(before, cause, new Set(), names, allUp).score).toBe(58);
    expect(predicted.score).toBe(75);
    expect(predicted.pair('cloud2', 'dc1')).toBe('up');
    expect(predicted.pair('edge1', 'dc1')).toBe('fragile');
    expect(predicted.at(names.indexOf('dc1'), names.indexOf('edge1'))).toBe('fragile');
  });

  it("offers the diagnosis's fewest nodes to open, dc1, as dc-gw's wall, the node its finding names for every pair", () => {
    const r = hybridReport();
    const cause = causeOf(hybridNodes, r, hybridJumps);
    const fewest = fewestToOpen(r, cause, hybridNodes);
    expect(fewest.nodes).toEqual(['dc1']);
    expect(r.findings.find((f) => f.code === 'PAIR_NO_INBOUND_END')?.remediation.summary).toContain('opening dc1 gives every pair an inbound end');
    expect(fewest.walls).toEqual(['gateway:datacenter|198.18.2.1:udp51820:inbound']);
    expect(predict(r, cause, new Set(fewest.walls), names, allUp).score).toBe(75);
  });

  it('shows the path cloud2 -> dc1 dropped at dc-gw, and open with its wall switched off', () => {
    const r = hybridReport();
    const cause = causeOf(hybridNodes, r, hybridJumps);
    const now = lane(r, cause, 'cloud2', 'dc1', 'udp51820');
    expect(now.reach).toBe('blocked');
    expect(now.hops.map((h) => `${h.label}:${h.result}`)).toEqual([
      'cloud2:pass',
      'cloud2 firewall:pass',
      'public net:pass',
      'dc-gw:drop',
      'dc1 firewall:not-reached',
      'dc1:not-reached',
    ]);
    expect(now.hops[3]?.detail).toContain('seen as 198.18.2.1:51823');
    const back = lane(r, cause, 'dc1', 'cloud2', 'udp51820');
    expect(back.hops.every((h) => h.result === 'pass')).toBe(true);
    const fixed = lane(r, cause, 'cloud2', 'dc1', 'udp51820', new Set([now.hops[3]?.wall?.id as string]));
    expect(fixed.reach).toBe('open');
    expect(fixed.hops.every((h) => h.result === 'pass')).toBe(true);
  });
});

describe('the path view in the address', () => {
  it('reads the pair from the query of #topology?path=a,b, and keeps a pair it cannot read for the view to name', () => {
    expect(pathPair('path=cloud2,dc1')).toEqual({ a: 'cloud2', b: 'dc1' });
    expect(pathPair('')).toBeNull();
    expect(pathPair('path=cloud2')).toEqual({ a: 'cloud2', b: '' });
    expect(pathPair('path=a,b,c')).toEqual({ a: 'a', b: '' });
  });
});

import { describe, expect, it } from 'vitest';
import type { DiagnosisReport, Finding, ReachabilityMatrix } from '../../contract/diagnosis.js';
import { pairCodes } from '../../contract/mesh.js';
import { hybridEvidence } from '../../../test/support/diagnosis-fixtures/lab-scenarios.js';
import { withCauses } from '../diagnosis/causes.js';
import { report as diagnosed } from '../diagnosis/diagnose.js';
import { healthOf, type HealthInput, type HealthNode } from './health-model.js';

const names = ['cloud1', 'cloud2', 'dc1', 'edge1'];
const nodes: HealthNode[] = [
  { name: 'cloud1', site: 'cloud', agentReachable: true },
  { name: 'cloud2', site: 'cloud', agentReachable: true },
  { name: 'dc1', site: 'datacenter', agentReachable: true },
  { name: 'edge1', site: 'edge', agentReachable: true },
];
const allUp = (): number[] => names.flatMap((_, i) => names.map((__, j) => (i === j ? pairCodes.self : pairCodes.up)));
const udpMatrix = (blocked: (from: string, to: string) => boolean): ReachabilityMatrix =>
  Object.fromEntries(names.map((f) => [f, Object.fromEntries(names.filter((t) => t !== f).map((t) => [t, blocked(f, t) ? 'blocked' : 'open']))]));
const finding = (code: Finding['code'], severity: Finding['severity'], node: string, protocol: 'udp' | null = null): Finding => ({
  id: `${code}:${node}`,
  code,
  severity,
  nodes: [node],
  pair: null,
  port: protocol ? 51820 : null,
  protocol,
  where: protocol ? 'upstream' : null,
  evidence: [`${node} says so`],
  remediation: { summary: 'fix it', hostFixes: [], changeRequest: `change for ${code} on ${node}` },
});
const report = (findings: Finding[], blocked: (from: string, to: string) => boolean = () => false): DiagnosisReport =>
  withCauses({ generatedAt: '2026-12-01T10:00:00.000Z', durationMs: 1, findings, matrix: { udp51820: udpMatrix(blocked), tcp50000: {} } });
const input = (over: Partial<HealthInput>): HealthInput => ({ cluster: 'hybrid', meshVersion: 7, nodes, cells: allUp(), report: null, mtu: null, ...over });
const touching = (name: string) => names.filter((n) => n !== name).flatMap((o) => [`${name}>${o}`, `${o}>${name}`]);
const fragileKeys = (h: ReturnType<typeof healthOf>) => h.fragile.map((p) => `${p.from}>${p.to}`).sort();

describe('the health model', () => {
  it('calls every pair healthy when all are up and nothing is open, with a score of 100', () => {
    const h = healthOf(input({ report: report([]) }));
    expect([h.verdict, h.score, h.pairs, h.fragile]).toEqual(['healthy', 100, { up: 12, fragile: 0, down: 0, unknown: 0 }, []]);
    expect(h.sites.map((s) => [s.site, s.nodes, s.score])).toEqual([
      ['edge', 1, 100],
      ['datacenter', 1, 100],
      ['cloud', 2, 100],
    ]);
  });

  it('marks the pairs of a node whose inbound UDP 51820 is blocked as fragile (one-way inbound), each linked to the cause, and counts them as half', () => {
    const blocked = finding('UDP_51820_INBOUND_BLOCKED', 'warning', 'dc1', 'udp');
    const h = healthOf(input({ report: report([blocked], (_, to) => to === 'dc1') }));
    expect(fragileKeys(h)).toEqual(touching('dc1').sort());
    expect(new Set(h.fragile.map((p) => JSON.stringify([p.reasons, p.causes])))).toEqual(new Set([JSON.stringify([['ONE_WAY_INBOUND'], [blocked.id]])]));
    expect([h.verdict, h.pairs.fragile, h.score]).toEqual(['fragile', 6, 75]);
    const dc1 = h.nodes.find((n) => n.name === 'dc1');
    expect([dc1?.score, dc1?.pairs]).toEqual([50, { up: 0, fragile: 6, down: 0, unknown: 0 }]);
    expect(h.nodes.find((n) => n.name === 'cloud1')?.score).toBe(83);
    expect(h.screens).toEqual({ overview: 1, mesh: 1, topology: 1, firewall: 1, settings: 0 });
  });

  it('marks the pairs of a node whose link cannot carry the mesh MTU as fragile (MTU above the path), and flags the settings', () => {
    const mtu = { configured: 1420, links: { cloud1: 1500, cloud2: 1500, dc1: 1500, edge1: 1492 } };
    const h = healthOf(input({ report: report([]), mtu }));
    expect(fragileKeys(h)).toEqual(touching('edge1').sort());
    expect(h.fragile.every((p) => p.reasons.join() === 'MTU_ABOVE_PATH')).toBe(true);
    expect(h.mtu).toEqual({ configured: 1420, recommended: 1412, above: true });
    expect(h.screens.settings).toBe(1);
    expect(healthOf(input({ report: report([]), mtu: { ...mtu, configured: 1412 } })).fragile).toEqual([]);
  });

  it('marks the pairs of a node with an open warning as fragile (warning open); an info does not', () => {
    const skew = finding('CLOCK_SKEW', 'warning', 'cloud2');
    const h = healthOf(input({ report: report([skew, finding('NO_PHYSICAL_NIC', 'info', 'edge1')]) }));
    expect(fragileKeys(h)).toEqual(touching('cloud2').sort());
    expect(h.fragile[0]).toMatchObject({ reasons: ['WARNING_OPEN'], causes: [skew.id] });
    expect(h.severities).toEqual({ error: 0, warning: 1, info: 1 });
  });

  it('on the hybrid diagnosis, calls the pairs of dc1 and of edge1 fragile one-way, each by its own cause, and cloud1/cloud2 plainly up', () => {
    const h = healthOf(input({ report: diagnosed(hybridEvidence('up'), 1) }));
    const of = (from: string, to: string) => h.fragile.find((p) => p.from === from && p.to === to);
    expect(of('cloud1', 'cloud2')).toBeUndefined();
    expect(of('cloud1', 'dc1')).toEqual({ from: 'cloud1', to: 'dc1', reasons: ['ONE_WAY_INBOUND'], causes: ['UDP_51820_INBOUND_BLOCKED:dc1'] });
    expect(of('cloud2', 'edge1')?.reasons).toEqual(['ONE_WAY_INBOUND']);
    expect(of('cloud2', 'edge1')?.causes).not.toContain('UDP_51820_INBOUND_BLOCKED:dc1');
    expect(h.pairs).toEqual({ up: 2, fragile: 10, down: 0, unknown: 0 });
  });

  it('keeps a down pair down (never fragile), and says the cluster is down', () => {
    const cells = allUp();
    cells[0 * 4 + 2] = pairCodes.down;
    const h = healthOf(input({ cells, report: report([finding('UDP_51820_INBOUND_BLOCKED', 'warning', 'dc1', 'udp')], (_, to) => to === 'dc1') }));
    expect(h.verdict).toBe('down');
    expect(h.pairs).toEqual({ up: 6, fragile: 5, down: 1, unknown: 0 });
    expect(fragileKeys(h)).not.toContain('cloud1>dc1');
    expect(h.score).toBe(Math.round((100 * (6 + 2.5)) / 12));
  });

  it('counts only the rows of managed nodes, and scores a lone node by its agent', () => {
    const h = healthOf(input({ nodes: nodes.map((n) => (n.name === 'edge1' ? { ...n, managed: false } : n)) }));
    expect(h.pairs.up + h.pairs.fragile + h.pairs.down + h.pairs.unknown).toBe(9);
    expect(healthOf(input({ nodes: [nodes[0] as HealthNode], cells: [pairCodes.self] })).score).toBe(100);
    expect(healthOf(input({ nodes: [{ ...(nodes[0] as HealthNode), agentReachable: false }], cells: [pairCodes.self] })).score).toBe(0);
    expect(healthOf(input({ nodes: [], cells: [] })).verdict).toBe('unknown');
  });

  it('counts a relayed pair as up and never fragile, even where its direct path is blocked, and says it is relayed through its relay (a cell with no relay known is left out)', () => {
    const cells = allUp();
    cells[2 * 4 + 3] = pairCodes.relayed;
    cells[3 * 4 + 2] = pairCodes.relayed;
    const blocked = (a: string, b: string) => [a, b].sort().join() === 'dc1,edge1';
    const h = healthOf(input({ cells, relays: [[2 * 4 + 3, 'cloud1']], report: report([], blocked) }));
    expect([h.verdict, h.score, h.pairs]).toEqual(['healthy', 100, { up: 12, fragile: 0, down: 0, unknown: 0 }]);
    expect(h.relayed).toEqual([{ from: 'dc1', to: 'edge1', via: 'cloud1', reason: 'relayed through cloud1: up, with no direct path between the two' }]);
    const direct = healthOf(input({ report: report([], blocked) }));
    expect(fragileKeys(direct)).toEqual(['dc1>edge1', 'edge1>dc1']);
    expect(direct.relayed).toEqual([]);
  });
});

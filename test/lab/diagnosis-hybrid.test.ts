import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosisReport } from '../../electron/contract/diagnosis.js';
import { onboardLab, pairsUp, pairsWith, peerState, waitForStatus, type LabCluster } from './diagnosis/lab-cluster.js';
import { expectMatrixOfScenario, findingOf, serious } from './diagnosis/expect-report.js';
import { labExec } from './index.js';
import { useLab } from './use-lab.js';

const lab = useLab('hybrid');
const nodes = ['cloud1', 'cloud2', 'dc1', 'edge1'];
let cluster: LabCluster;
let pairState: string;
let report: DiagnosisReport;

beforeAll(async () => {
  cluster = await onboardLab(lab.status);
  // Every pair with a cloud end comes up; dc1/edge1 settles up (hole punching) or down.
  await waitForStatus(cluster.services, pairsUp(pairsWith(['cloud1', 'cloud2'], nodes)));
  const settled = await waitForStatus(
    cluster.services,
    (s) => ['up', 'down'].includes(peerState(s, 'dc1', 'edge1') ?? '') && peerState(s, 'dc1', 'edge1') === peerState(s, 'edge1', 'dc1'),
    45_000,
  );
  report = await cluster.services.diagnosis.run();
  pairState = peerState(settled, 'dc1', 'edge1') ?? 'unknown';
}, 180_000);
afterAll(() => cluster?.close());

describe('diagnosis on the hybrid lab', () => {
  it("finds UDP 51820 blocked upstream of dc1 (its gateway drops it) and no other host's inbound block", () => {
    const blocked = findingOf(report, 'UDP_51820_INBOUND_BLOCKED:dc1');
    expect(blocked).toMatchObject({ where: 'upstream', port: 51820, protocol: 'udp', nodes: ['dc1'] });
    expect(blocked.evidence.join('\n')).toContain('UDP 51820 sent by cloud1, cloud2, edge1 never arrived at dc1');
    expect(blocked.evidence.join('\n')).toContain('the gateway in front of it');
    expect(report.findings.filter((f) => f.code === 'UDP_51820_INBOUND_BLOCKED').map((f) => f.id)).toEqual(['UDP_51820_INBOUND_BLOCKED:dc1']);
  });

  it('finds the edge and datacenter hosts behind port-preserving NATs', () => {
    expect(report.findings.filter((f) => f.code === 'BEHIND_NAT').map((f) => [f.id, f.severity])).toEqual([
      ['BEHIND_NAT:dc1', 'info'],
      ['BEHIND_NAT:edge1', 'info'],
    ]);
    expect(findingOf(report, 'BEHIND_NAT:dc1').evidence.join('\n')).toContain('dc1 is behind a port-preserving NAT (seen as 198.18.2.1:');
    expect(findingOf(report, 'BEHIND_NAT:edge1').evidence.join('\n')).toContain('edge1 is behind a port-preserving NAT (seen as 198.18.3.1:');
  });

  it('finds the edge/datacenter pair without an inbound end, fixed by a forward on the datacenter gateway (a change request)', () => {
    const pair = findingOf(report, 'PAIR_NO_INBOUND_END:dc1:edge1');
    expect(pair).toMatchObject({ nodes: ['dc1', 'edge1'], where: 'upstream', port: 51820 });
    expect(pair.remediation.hostFixes.map((f) => f.target?.label)).toEqual(['gateway 198.18.2.1 via jump host']);
    expect(pair.remediation.changeRequest).toContain(
      'gateway in front of dc1 (public address 198.18.2.1): forward UDP 51820 arriving on its public side to 198.19.2.10:51820',
    );
    if (pairState === 'up') {
      expect(pair.severity).toBe('warning');
      expect(pair.evidence.join('\n')).toContain('the pair is up only by UDP hole punching');
    } else {
      expect(pair.severity).toBe('error');
      expect(pair.evidence.join('\n')).toContain('the pair is down');
    }
    expect(serious(report)).toEqual(
      ['PAIR_NO_INBOUND_END:dc1:edge1', 'UDP_51820_INBOUND_BLOCKED:dc1', ...(pairState === 'down' ? ['PEER_DOWN:dc1:edge1'] : [])].sort(),
    );
  });

  it("fills both matrices as the scenario's reachability says", () => {
    expectMatrixOfScenario(report, 'hybrid', nodes);
    expect(report.matrix.tcp50000.desktop).toEqual({ cloud1: 'open', cloud2: 'open', dc1: 'open', edge1: 'blocked' });
  });

  it('clears once the offered fix on dc-gw (the jump host) forwards UDP 51820 to dc1, the pair is up, and the fix reverts by its id', async () => {
    const fix = findingOf(report, 'UDP_51820_INBOUND_BLOCKED:dc1').remediation.hostFixes[0];
    expect(fix?.target).toEqual({ kind: 'gateway', label: 'gateway 198.18.2.1 via jump host', jump: 0, host: '198.18.2.1' });
    const result = await cluster.services.diagnosis.apply('UDP_51820_INBOUND_BLOCKED:dc1', undefined, 30);
    expect(result).toMatchObject({ applied: true, reverted: false, cleared: true });
    expect(result.log.join('\n')).toContain('nftables changes on gateway 198.18.2.1 via jump host');
    expect(result.changes?.map((c) => c.what)).toEqual([
      'table ip spanwise-gw (DNAT of udp 51820 on 198.18.2.1 to 198.19.2.10)',
      'rule inet filter forward accepting udp 51820 to 198.19.2.10',
    ]);
    const ruleset = await labExec('dc-gw', ['nft', 'list', 'ruleset']);
    expect(ruleset.stdout).toContain('ip daddr 198.19.2.10 udp dport 51820 accept comment "spanwise:gw-udp-51820"');
    const after = cluster.services.diagnosis.last() as DiagnosisReport;
    expect(after.findings.map((f) => f.id)).not.toContain('UDP_51820_INBOUND_BLOCKED:dc1');
    expect(after.findings.map((f) => f.id)).not.toContain('PAIR_NO_INBOUND_END:dc1:edge1');
    expect(serious(after)).toEqual([]);
    for (const from of ['cloud1', 'cloud2', 'edge1']) expect(after.matrix.udp51820[from]?.dc1).toBe('open');
    const status = await waitForStatus(cluster.services, pairsUp([['dc1', 'edge1']]), 60_000);
    expect([peerState(status, 'dc1', 'edge1'), peerState(status, 'edge1', 'dc1')]).toEqual(['up', 'up']);
    const undone = await cluster.services.diagnosis.revert('dc1', result.fixId ?? '');
    expect(undone).toMatchObject({ node: 'dc1', fixId: 'gw-udp-51820', reverted: true });
    expect((await labExec('dc-gw', ['nft', 'list', 'ruleset'])).stdout).not.toContain('spanwise');
  });
});

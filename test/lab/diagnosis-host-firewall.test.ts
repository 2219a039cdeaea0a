import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosisReport, FixResult } from '../../electron/contract/diagnosis.js';
import { spanwise } from '../support/spanwise-cli.js';
import { onboardLab, pairsUp, pairsWith, peerState, waitForStatus, type LabCluster } from './diagnosis/lab-cluster.js';
import { expectMatrixOfScenario, findingOf, serious } from './diagnosis/expect-report.js';
import { labExec } from './index.js';
import { useLab } from './use-lab.js';

const lab = useLab('host-firewall');
const nodes = ['cloud1', 'cloud2', 'edge1'];
let cluster: LabCluster;
let report: DiagnosisReport;

beforeAll(async () => {
  cluster = await onboardLab(lab.status);
  await waitForStatus(cluster.services, pairsUp(pairsWith(['cloud1'], nodes)));
  await waitForStatus(cluster.services, (s) => ['up', 'down'].includes(peerState(s, 'cloud2', 'edge1') ?? ''), 45_000);
}, 180_000);
afterAll(() => cluster?.close());

describe('diagnosis on the host-firewall lab, from the CLI', () => {
  it("finds cloud2's own nftables rule dropping UDP 51820, quoted, with nftables commands", async () => {
    const r = await spanwise(cluster.dataDir, ['diagnose', '--json']);
    expect(r.code).toBe(0);
    report = JSON.parse(r.stdout) as DiagnosisReport;
    const blocked = findingOf(report, 'UDP_51820_INBOUND_BLOCKED:cloud2');
    expect(blocked).toMatchObject({ where: 'host', port: 51820, protocol: 'udp' });
    expect(blocked.evidence.join('\n')).toMatch(/cloud2's nftables blocks it: table inet filter chain input: udp dport 51820 drop/);
    expect(blocked.remediation.hostFixes).toMatchObject([
      { node: 'cloud2', firewall: 'nftables', rule: { id: 'udp-51820', protocol: 'udp', port: 51820, anchors: ['inet filter input'] } },
    ]);
  });

  it('finds the cloud2/edge1 pair without an inbound end, fixed on cloud2', () => {
    const pair = findingOf(report, 'PAIR_NO_INBOUND_END:cloud2:edge1');
    expect(pair).toMatchObject({ where: 'host', nodes: ['cloud2', 'edge1'] });
    expect(pair.remediation.hostFixes.map((f) => f.node)).toEqual(['cloud2']);
    expect(serious(report)).toContain('UDP_51820_INBOUND_BLOCKED:cloud2');
    expect(serious(report).filter((id) => !id.startsWith('PEER_DOWN:cloud2:edge1'))).toEqual([
      'PAIR_NO_INBOUND_END:cloud2:edge1',
      'UDP_51820_INBOUND_BLOCKED:cloud2',
    ]);
  });

  it("fills both matrices as the scenario's reachability says", () => {
    expectMatrixOfScenario(report, 'host-firewall', nodes);
  });

  it('`spanwise fix --apply` opens the port on cloud2, keeps it, and the finding clears with the pair up', async () => {
    const preview = await spanwise(cluster.dataDir, ['fix', 'UDP_51820_INBOUND_BLOCKED:cloud2']);
    expect(preview.stdout).toContain('on cloud2 (nftables), apply:');
    const r = await spanwise(cluster.dataDir, ['fix', 'UDP_51820_INBOUND_BLOCKED:cloud2', '--apply', '--confirm-seconds', '30', '--json']);
    const result = JSON.parse(r.stdout) as FixResult;
    expect(result).toMatchObject({ applied: true, reverted: false, cleared: true });
    expect(r.code).toBe(0);
    expect((await labExec('cloud2', 'nft list chain inet filter input')).stdout).toContain('comment "spanwise:udp-51820"');
    expect((await labExec('cloud2', 'ls /run/spanwise')).stdout).toContain('.confirmed');
    // The pair comes up with the next WireGuard handshake after the port opens; then nothing serious is left.
    const status = await waitForStatus(cluster.services, pairsUp([['cloud2', 'edge1']]), 60_000);
    expect([peerState(status, 'cloud2', 'edge1'), peerState(status, 'edge1', 'cloud2')]).toEqual(['up', 'up']);
    const after = await cluster.services.diagnosis.run();
    expect(serious(after)).toEqual([]);
    expect(after.matrix.udp51820.cloud1?.cloud2).toBe('open');
    expect(after.matrix.udp51820.edge1?.cloud2).toBe('open');
  });
});

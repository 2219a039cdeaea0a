import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosisReport, HostFix } from '../../electron/contract/diagnosis.js';
import { onboardLab, pairsUp, pairsWith, waitForStatus, type LabCluster } from './diagnosis/lab-cluster.js';
import { expectMatrixOfScenario, serious } from './diagnosis/expect-report.js';
import { labExec } from './index.js';
import { useLab } from './use-lab.js';

const lab = useLab('all-open');
const nodes = ['cloud1', 'cloud2', 'cloud3'];
let cluster: LabCluster;
let report: DiagnosisReport;

beforeAll(async () => {
  cluster = await onboardLab(lab.status);
  await waitForStatus(cluster.services, pairsUp(pairsWith(nodes, nodes)));
  report = await cluster.services.diagnosis.run();
}, 180_000);
afterAll(() => cluster?.close());

describe('diagnosis on the all-open lab', () => {
  it('finds nothing of severity warning or error', () => {
    expect(serious(report)).toEqual([]);
  });

  it('sees every port open in both matrices', () => {
    expectMatrixOfScenario(report, 'all-open', nodes);
    for (const row of [...Object.values(report.matrix.udp51820), ...Object.values(report.matrix.tcp50000)])
      expect(Object.values(row).every((v) => v === 'open')).toBe(true);
  });
});

describe('a fix that cuts SSH', () => {
  it('is reverted by the host itself when the window ends, and the result says so', async () => {
    const cut: HostFix = {
      node: 'cloud3',
      firewall: 'nftables',
      apply: [
        'nft add table inet spanwise_cut',
        "nft add chain inet spanwise_cut input '{ type filter hook input priority -10; policy accept; }'",
        'nft add rule inet spanwise_cut input tcp dport 22 ct state new drop',
      ],
      revert: ['nft delete table inet spanwise_cut'],
    };
    const lines: string[] = [];
    const result = await cluster.services.diagnosis.applyHostFix('CUT_SSH_TEST', cut, 5, (line) => lines.push(line));
    expect(result).toMatchObject({ applied: true, reverted: true, cleared: false });
    expect(result.log.join('\n')).toContain('not confirmed');
    expect(result.log.join('\n')).toContain('the host reverted the change by itself');
    expect((await labExec('cloud3', 'nft list tables')).stdout).not.toContain('spanwise_cut');
    expect((await labExec('cloud3', 'ls /run/spanwise')).stdout).toContain('fix-CUT_SSH_TEST-cloud3.reverted');
    const again = await cluster.services.diagnosis.run();
    expect(serious(again)).toEqual([]);
  });
});

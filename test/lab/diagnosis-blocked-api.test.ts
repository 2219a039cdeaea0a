import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosisReport } from '../../electron/contract/diagnosis.js';
import type { ClusterStatus } from '../../electron/contract/status.js';
import { onboardLab, pairsUp, pairsWith, waitForStatus, type LabCluster } from './diagnosis/lab-cluster.js';
import { expectMatrixOfScenario, findingOf, serious } from './diagnosis/expect-report.js';
import { useLab } from './use-lab.js';

const lab = useLab('blocked-api');
const nodes = ['cloud1', 'cloud2', 'cloud3'];
let cluster: LabCluster;
let status: ClusterStatus;
let report: DiagnosisReport;

beforeAll(async () => {
  cluster = await onboardLab(lab.status);
  status = await waitForStatus(cluster.services, pairsUp(pairsWith(nodes, nodes)));
  report = await cluster.services.diagnosis.run();
}, 180_000);
afterAll(() => cluster?.close());

describe('diagnosis on the blocked-api lab', () => {
  it('status still reads cloud3 through SSH', () => {
    expect(status.nodes.find((n) => n.name === 'cloud3')?.agent).toMatchObject({ reachable: true, via: 'ssh-tunnel' });
  });

  it('finds TCP 50000 unreachable on cloud3, blocked by its own nftables rule, as its only problem', () => {
    const api = findingOf(report, 'TCP_50000_UNREACHABLE:cloud3');
    expect(api).toMatchObject({ severity: 'warning', where: 'host', port: 50000, protocol: 'tcp' });
    const text = api.evidence.join('\n');
    expect(text).toContain('TCP 50000 from the desktop does not answer: 198.18.1.12:50000');
    expect(text).toContain('TCP 50000 from cloud1, cloud2 does not answer');
    expect(text).toMatch(/cloud3's nftables blocks it: table inet filter chain input: tcp dport 50000 drop/);
    expect(text).toContain('the desktop still reads the agent through an SSH tunnel');
    expect(api.remediation.hostFixes[0]?.apply[0]).toBe(`nft -e -a insert rule inet filter input 'tcp dport 50000 accept comment "spanwise:tcp-50000"'`);
    expect(serious(report)).toEqual(['TCP_50000_UNREACHABLE:cloud3']);
  });

  it("fills both matrices as the scenario's reachability says", () => {
    expectMatrixOfScenario(report, 'blocked-api', nodes);
    expect(report.matrix.tcp50000.desktop).toEqual({ cloud1: 'open', cloud2: 'open', cloud3: 'blocked' });
  });
});

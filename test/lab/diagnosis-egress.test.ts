import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosisReport } from '../../electron/contract/diagnosis.js';
import { onboardLab, pairsUp, pairsWith, waitForStatus, type LabCluster } from './diagnosis/lab-cluster.js';
import { expectMatrixOfScenario, findingOf, serious } from './diagnosis/expect-report.js';
import { labExec } from './index.js';
import { useLab } from './use-lab.js';

const lab = useLab('egress');
const nodes = ['cloud1', 'cloud2', 'dc1', 'edge1'];
let cluster: LabCluster;
let report: DiagnosisReport;

beforeAll(async () => {
  cluster = await onboardLab(lab.status);
  // dc1 dials no one, but its peers dial it through the forward and it answers them.
  await waitForStatus(cluster.services, pairsUp(pairsWith(['cloud1', 'cloud2'], nodes)));
  report = await cluster.services.diagnosis.run();
}, 180_000);
afterAll(() => cluster?.close());

describe('diagnosis on the egress lab (dc-gw drops outbound UDP 51820)', () => {
  it('finds UDP 51820 blocked on the way out of dc1, upstream, with a change request for its gateway', () => {
    const egress = findingOf(report, 'UDP_51820_OUTBOUND_BLOCKED:dc1');
    expect(egress).toMatchObject({ where: 'upstream', port: 51820, protocol: 'udp', nodes: ['dc1'] });
    const text = egress.evidence.join('\n');
    expect(text).toContain('UDP 51820 sent by dc1 never arrived at cloud1, cloud2, though other nodes reach them');
    expect(text).toContain('into dc1 does arrive, so the path works the other way');
    expect(text).toContain('the gateway in front of it (198.18.2.1)');
    expect(egress.remediation.changeRequest).toContain('allow outbound UDP 51820 from dc1 (seen as 198.18.2.1)');
  });

  it('says nothing false: no inbound block, no pair without an inbound end, no peer down', () => {
    expect(serious(report)).toEqual(['UDP_51820_OUTBOUND_BLOCKED:dc1']);
    expect(report.findings.filter((f) => /INBOUND/.test(f.code)).map((f) => f.id)).toEqual([]);
  });

  it("fills the matrices as the scenario's reachability says", () => {
    expectMatrixOfScenario(report, 'egress', nodes);
  });

  it('clears once dc-gw lets UDP 51820 out', async () => {
    await labExec('dc-gw', ['nft', 'insert', 'rule', 'inet', 'filter', 'forward', 'iifname', 'lan0', 'udp', 'dport', '51820', 'accept']);
    const after = await cluster.services.diagnosis.run();
    expect(after.findings.map((f) => f.id)).not.toContain('UDP_51820_OUTBOUND_BLOCKED:dc1');
    expect(serious(after)).toEqual([]);
    for (const to of ['cloud1', 'cloud2']) expect(after.matrix.udp51820.dc1?.[to]).toBe('open');
  });
});

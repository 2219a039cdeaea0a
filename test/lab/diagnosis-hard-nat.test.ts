import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosisReport } from '../../electron/contract/diagnosis.js';
import { onboardLab, pairsUp, peerState, waitForStatus, type LabCluster } from './diagnosis/lab-cluster.js';
import { expectMatrixOfScenario, findingOf, serious } from './diagnosis/expect-report.js';
import { useLab } from './use-lab.js';

const lab = useLab('hard-nat');
const nodes = ['cloud1', 'edge1', 'edge2'];
let cluster: LabCluster;
let report: DiagnosisReport;

beforeAll(async () => {
  cluster = await onboardLab(lab.status);
  await waitForStatus(
    cluster.services,
    pairsUp([
      ['cloud1', 'edge1'],
      ['cloud1', 'edge2'],
    ]),
  );
  // edge1/edge2 never meet: wait until an agent calls the pair down (after its endpoint timeout).
  await waitForStatus(cluster.services, (s) => [peerState(s, 'edge1', 'edge2'), peerState(s, 'edge2', 'edge1')].includes('down'), 60_000);
  report = await cluster.services.diagnosis.run();
}, 180_000);
afterAll(() => cluster?.close());

describe('diagnosis on the hard-nat lab', () => {
  it('reports the two edge hosts down to each other, as errors naming the port-randomising NAT on both ends', () => {
    const down = findingOf(report, 'PEER_DOWN:edge1:edge2');
    const pair = findingOf(report, 'PAIR_NO_INBOUND_END:edge1:edge2');
    for (const f of [down, pair]) {
      expect(f.severity).toBe('error');
      const text = f.evidence.join('\n');
      expect(text).toMatch(/edge1 is behind a port-randomising NAT \(seen as 198\.18\.2\.1:\d+ and 198\.18\.2\.1:\d+\)/);
      expect(text).toMatch(/edge2 is behind a port-randomising NAT \(seen as 198\.18\.3\.1:\d+ and 198\.18\.3\.1:\d+\)/);
      expect(text).toContain('hole punching cannot work');
    }
    expect(down.evidence.join('\n')).toContain('cause: neither edge1 nor edge2 accepts UDP 51820 inbound');
  });

  it('warns that both edge hosts are behind port-randomising NATs, and finds nothing else serious', () => {
    expect(report.findings.filter((f) => f.code === 'BEHIND_NAT').map((f) => [f.id, f.severity])).toEqual([
      ['BEHIND_NAT:edge1', 'warning'],
      ['BEHIND_NAT:edge2', 'warning'],
    ]);
    expect(serious(report)).toEqual(['BEHIND_NAT:edge1', 'BEHIND_NAT:edge2', 'PAIR_NO_INBOUND_END:edge1:edge2', 'PEER_DOWN:edge1:edge2']);
  });

  it("fills both matrices as the scenario's reachability says", () => {
    expectMatrixOfScenario(report, 'hard-nat', nodes);
  });
});

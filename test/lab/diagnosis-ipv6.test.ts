import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosisReport } from '../../electron/contract/diagnosis.js';
import { onboardLab, pairsUp, pairsWith, waitForStatus, type LabCluster } from './diagnosis/lab-cluster.js';
import { findingOf, serious } from './diagnosis/expect-report.js';
import { labExec } from './index.js';
import { useLab } from './use-lab.js';

const lab = useLab('dual-stack');
const nodes = ['cloud1', 'cloud2', 'cloud3'];
let cluster: LabCluster;
let report: DiagnosisReport;

/** cloud3's own `table ip6` dropping UDP 51820: IPv4 passes, IPv6 does not. */
const ip6Block = [
  'table ip6 block6 {',
  '  chain input {',
  '    type filter hook input priority filter; policy accept;',
  '    udp dport 51820 drop',
  '  }',
  '}',
].join('\n');

beforeAll(async () => {
  cluster = await onboardLab(lab.status);
  await waitForStatus(cluster.services, pairsUp(pairsWith(nodes, nodes)));
  await labExec('cloud3', ['nft', '-f', '-'], { input: ip6Block });
  report = await cluster.services.diagnosis.run();
}, 180_000);
afterAll(() => cluster?.close());

describe('diagnosis on the dual-stack lab with an IPv6-only block on cloud3', () => {
  it('advertises IPv6 endpoints and probes both families', () => {
    expect(report.matrix.ipv6).toBeDefined();
    for (const from of nodes)
      for (const to of nodes) {
        if (from === to) continue;
        expect(report.matrix.udp51820[from]?.[to], `udp v4 ${from}>${to}`).toBe('open');
        expect(report.matrix.ipv6?.udp51820[from]?.[to], `udp v6 ${from}>${to}`).toBe(to === 'cloud3' ? 'blocked' : 'open');
        expect(report.matrix.ipv6?.tcp50000[from]?.[to], `tcp v6 ${from}>${to}`).toMatch(/^(open|blocked)$/);
      }
  });

  it('finds the block on IPv6 only: one IPv6 finding for cloud3, no IPv4 finding', () => {
    const f = findingOf(report, 'IPV6_ONLY_BLOCKED:cloud3');
    expect(f).toMatchObject({ port: 51820, protocol: 'udp', nodes: ['cloud3'] });
    expect(f.evidence[0]).toBe('UDP 51820 from cloud1, cloud2 arrives at cloud3 over IPv4 but never over IPv6');
    expect(serious(report)).toEqual(['IPV6_ONLY_BLOCKED:cloud3']);
    expect(report.findings.filter((f) => f.code === 'UDP_51820_INBOUND_BLOCKED')).toEqual([]);
  });

  it('clears once the ip6 table is gone', async () => {
    await labExec('cloud3', ['nft', 'delete', 'table', 'ip6', 'block6']);
    const after = await cluster.services.diagnosis.run();
    expect(after.findings.map((f) => f.id)).not.toContain('IPV6_ONLY_BLOCKED:cloud3');
    expect(after.matrix.ipv6?.udp51820.cloud1?.cloud3).toBe('open');
  });
});

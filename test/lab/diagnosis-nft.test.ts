import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosisReport } from '../../electron/contract/diagnosis.js';
import { corpusDir } from '../support/rulesets/nft/generate.js';
import { onboardLab, pairsUp, pairsWith, waitForStatus, type LabCluster } from './diagnosis/lab-cluster.js';
import { findingOf } from './diagnosis/expect-report.js';
import { labExec } from './index.js';
import { useLab } from './use-lab.js';

const lab = useLab('all-open');
const nodes = ['cloud1', 'cloud2', 'cloud3'];
let cluster: LabCluster;

/** Loads a corpus ruleset on cloud2 with `nft -f`, beside the host's own tables, in place of the last one loaded. */
async function load(name: string): Promise<void> {
  const text = readFileSync(join(corpusDir, `${name}.nft`), 'utf8');
  await labExec('cloud2', `nft delete table inet corpus 2>/dev/null; nft -f - <<'RULESET'\n${text}\nRULESET`);
}

beforeAll(async () => {
  cluster = await onboardLab(lab.status);
  await waitForStatus(cluster.services, pairsUp(pairsWith(nodes, nodes)));
}, 180_000);
afterAll(() => cluster?.close());

describe('diagnosis of nftables rulesets loaded on a lab host', () => {
  it('a named set that accepts UDP 51820 before a drop gives no finding on the port and no fix, and the port stays open', async () => {
    await load('lab-mesh-ports');
    expect((await labExec('cloud2', 'nft list set inet corpus mesh_ports')).stdout).toContain('51820');
    const report: DiagnosisReport = await cluster.services.diagnosis.run();
    expect(report.findings.filter((f) => f.port === 51820 || f.remediation.hostFixes.length > 0).map((f) => f.id)).toEqual([]);
    expect([report.matrix.udp51820.cloud1?.cloud2, report.matrix.udp51820.cloud3?.cloud2]).toEqual(['open', 'open']);
  });

  it('a verdict map that drops UDP 51820 is found on the host, with the rule quoted and a fix for its table', async () => {
    await load('lab-vmap-drop');
    const handle = /vmap .* # handle (\d+)/.exec((await labExec('cloud2', 'nft -a list chain inet corpus input')).stdout)?.[1];
    const report: DiagnosisReport = await cluster.services.diagnosis.run();
    const blocked = findingOf(report, 'UDP_51820_INBOUND_BLOCKED:cloud2');
    expect(blocked).toMatchObject({ where: 'host', port: 51820, protocol: 'udp' });
    expect(blocked.evidence.join('\n')).toContain(
      `cloud2's nftables blocks it: table inet corpus chain input: meta l4proto . th dport vmap { tcp . 23 : drop, udp . 51820 : drop } # handle ${handle}`,
    );
    expect(blocked.remediation.hostFixes.map((f) => [f.node, f.firewall])).toEqual([['cloud2', 'nftables']]);
    expect(blocked.remediation.hostFixes[0]?.apply.join('\n')).toContain('inet corpus input');
    expect(report.matrix.udp51820.cloud1?.cloud2).toBe('blocked');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixResult } from '../../electron/contract/diagnosis.js';
import { onboardLab, pairsUp, pairsWith, peerState, waitForStatus, type LabCluster } from './diagnosis/lab-cluster.js';
import { serious } from './diagnosis/expect-report.js';
import { labExec } from './index.js';
import { useLab } from './use-lab.js';

const lab = useLab('host-firewall');
const nodes = ['cloud1', 'cloud2', 'edge1'];
const CONF = '/etc/nftables.conf';
const DROP_IN = '/etc/nftables.d/spanwise.nft';
let cluster: LabCluster;
let bootFile: string;
let result: FixResult;

/** A reboot as far as the firewall goes: the live ruleset is gone, then the host's nftables service loads its boot file. */
async function reboot(): Promise<void> {
  await labExec('cloud2', 'nft flush ruleset');
  await labExec('cloud2', ['nft', '-f', CONF]);
}

const inputChain = async () => (await labExec('cloud2', 'nft list chain inet filter input')).stdout;

beforeAll(async () => {
  cluster = await onboardLab(lab.status);
  await waitForStatus(cluster.services, pairsUp(pairsWith(['cloud1'], nodes)));
  // cloud2's admin keeps its firewall in the Debian boot file, as nftables.service loads it.
  bootFile = `#!/usr/sbin/nft -f\nflush ruleset\n\n${(await labExec('cloud2', 'nft list table inet filter')).stdout}`;
  await labExec('cloud2', ['sh', '-c', `cat > ${CONF}`], { input: bootFile });
}, 180_000);
afterAll(async () => {
  await labExec('cloud2', `rm -f ${CONF} ${DROP_IN}`, { allowFailure: true }).catch(() => undefined);
  cluster?.close();
});

describe('a host fix that persists, through a reboot of the host', () => {
  it('applies on cloud2 and says it is persisted in the drop-in its boot file includes', async () => {
    const report = await cluster.services.diagnosis.run();
    expect(serious(report)).toContain('UDP_51820_INBOUND_BLOCKED:cloud2');
    result = await cluster.services.diagnosis.apply('UDP_51820_INBOUND_BLOCKED:cloud2', undefined, 30);
    expect(result).toMatchObject({ applied: true, reverted: false, fixId: 'udp-51820', node: 'cloud2', persistence: 'persisted' });
    expect(result.changes).toEqual([
      { kind: 'runtime', action: 'added', what: expect.stringMatching(/^rule inet filter input handle \d+$/) },
      { kind: 'persisted', action: 'added', what: `${DROP_IN} (included from ${CONF})` },
    ]);
    expect((await labExec('cloud2', ['cat', CONF])).stdout).toBe(`${bootFile}include "${DROP_IN}"\n`);
  });

  it('keeps the pair up after the live ruleset is flushed and the boot file reloaded', async () => {
    await reboot();
    expect(await inputChain()).toContain('udp dport 51820 accept comment "spanwise:udp-51820"');
    const after = await cluster.services.diagnosis.run();
    expect(serious(after).filter((id) => /^(UDP_51820|PAIR_NO_INBOUND_END|PEER_DOWN)/.test(id))).toEqual([]);
    expect(after.matrix.udp51820.edge1?.cloud2).toBe('open');
    const status = await waitForStatus(cluster.services, pairsUp([['cloud2', 'edge1']]), 60_000);
    expect([peerState(status, 'cloud2', 'edge1'), peerState(status, 'edge1', 'cloud2')]).toEqual(['up', 'up']);
  });

  it('reverts after the reboot: the live rule (by its new handle) and the persisted one', async () => {
    const reverted = await cluster.services.diagnosis.revert('cloud2', 'udp-51820');
    expect(reverted).toMatchObject({ node: 'cloud2', fixId: 'udp-51820', reverted: true });
    expect(reverted.changes.map((c) => c.kind)).toEqual(['runtime', 'persisted', 'persisted']);
    expect(await inputChain()).not.toContain('spanwise:');
    expect((await labExec('cloud2', ['cat', CONF])).stdout).toBe(bootFile);
    expect((await labExec('cloud2', ['test', '-e', DROP_IN], { allowFailure: true })).code).not.toBe(0);
    await reboot();
    expect(await inputChain()).not.toContain('spanwise:');
    expect(serious(await cluster.services.diagnosis.run())).toContain('UDP_51820_INBOUND_BLOCKED:cloud2');
  });
});

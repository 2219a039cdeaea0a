import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterStatus, PeerView } from '../../electron/contract/status.js';
import { spanwise } from '../support/spanwise-cli.js';
import { onboardLab, pairsUp, peerState, waitForStatus, type LabCluster } from './diagnosis/lab-cluster.js';
import { labExec } from './index.js';
import { useLab } from './use-lab.js';

/**
 * hard-nat: edge1 and edge2 sit behind port-randomising NATs and never meet directly. Diagnosis
 * offers a relay through cloud1; applied from the CLI it brings the pair up through cloud1, and
 * removing it from the settings takes the pair down.
 */
const lab = useLab('hard-nat');
let cluster: LabCluster;
let before: ClusterStatus;
let relayed: ClusterStatus;
let preview = '';
const FINDING = 'PAIR_NO_INBOUND_END:edge1:edge2';

const peer = (s: ClusterStatus, from: string, to: string): PeerView | undefined => s.nodes.find((n) => n.name === from)?.peers.find((p) => p.name === to);
const address = (s: ClusterStatus, name: string) => s.nodes.find((n) => n.name === name)?.address ?? '';
const relayedUp = (s: ClusterStatus) =>
  ['edge1', 'edge2'].every((a) => peer(s, a, a === 'edge1' ? 'edge2' : 'edge1')?.via === 'cloud1') && pairsUp([['edge1', 'edge2']])(s);
const cli = (args: string[]) => spanwise(cluster.dataDir, args);

/** The packet counters of cloud1's forward rules from `from`'s ULA to `to`'s. */
async function forwarded(from: string, to: string): Promise<number> {
  const chain = (await labExec('cloud1', 'nft list chain inet spanwise_kubespan kubespan_forward')).stdout;
  const rule = chain.split('\n').find((l) => l.includes(`ip6 saddr ${from} ip6 daddr ${to} counter`));
  return Number(/counter packets (\d+)/.exec(rule ?? '')?.[1] ?? Number.NaN);
}

beforeAll(async () => {
  cluster = await onboardLab(lab.status);
  before = await waitForStatus(
    cluster.services,
    (s) =>
      pairsUp([
        ['cloud1', 'edge1'],
        ['cloud1', 'edge2'],
      ])(s) && [peerState(s, 'edge1', 'edge2'), peerState(s, 'edge2', 'edge1')].includes('down'),
    90_000,
  );
  await cluster.services.diagnosis.run();
  preview = (await cli(['fix', FINDING])).stdout;
  const applied = await cli(['fix', FINDING, '--apply', '--use-relay']);
  expect(applied.code, applied.stderr).toBe(0);
  relayed = await waitForStatus(cluster.services, relayedUp, 60_000);
}, 300_000);
afterAll(() => cluster?.close());

describe('a relay through cloud1 on the hard-nat lab', () => {
  it('starts with the edge pair down directly, and diagnosis offers the relay through cloud1 beside the gateway change', () => {
    expect([peerState(before, 'edge1', 'edge2'), peerState(before, 'edge2', 'edge1')]).toContain('down');
    expect(peer(before, 'edge1', 'edge2')?.via).toBeUndefined();
    expect(preview).toContain('Change request for the gateway in front of');
    expect(preview).toContain(`Or relay the pair through cloud1`);
    expect(preview).toContain(`relay with: spanwise fix ${FINDING} --apply`);
  });

  it('brings the pair up through cloud1, as status --json and settings show say', async () => {
    expect(relayedUp(relayed)).toBe(true);
    const status = JSON.parse((await cli(['status', '--json'])).stdout) as ClusterStatus;
    expect(peer(status, 'edge1', 'edge2')).toMatchObject({ state: 'up', via: 'cloud1', endpoint: null });
    expect(peer(status, 'cloud1', 'edge1')?.via).toBeUndefined();
    expect((await cli(['settings', 'show'])).stdout).toMatch(/relays +edge1,edge2 via cloud1/);
    const table = (await labExec('edge1', ['node', '/opt/spanwise/spanwise-agent.mjs', 'get', 'peerstatuses'])).stdout.split('\n');
    expect(table[0]).toMatch(/STATE .* VIA$/);
    expect(table.find((l) => / edge2 /.test(l))).toMatch(/ up .* cloud1$/);
    expect(table.find((l) => / cloud1 /.test(l))).toMatch(/ -$/);
  });

  it('carries ping both ways over the ULAs, and cloud1 forwards it', async () => {
    const [ula1, ula2] = [address(relayed, 'edge1'), address(relayed, 'edge2')];
    const counted = [await forwarded(ula1, ula2), await forwarded(ula2, ula1)];
    expect((await labExec('edge1', ['ping', '-6', '-c', '3', '-W', '3', ula2])).code).toBe(0);
    expect((await labExec('edge2', ['ping', '-6', '-c', '3', '-W', '3', ula1])).code).toBe(0);
    expect(await forwarded(ula1, ula2)).toBeGreaterThanOrEqual((counted[0] ?? 0) + 6);
    expect(await forwarded(ula2, ula1)).toBeGreaterThanOrEqual((counted[1] ?? 0) + 6);
  });

  it('takes the pair back to down when the relay is removed', async () => {
    const removed = await cli(['settings', 'set', '--no-relay', 'edge1,edge2', '-o', 'json']);
    expect(removed.code, removed.stderr).toBe(0);
    const after = await waitForStatus(
      cluster.services,
      (s) => peer(s, 'edge1', 'edge2')?.via === undefined && [peerState(s, 'edge1', 'edge2'), peerState(s, 'edge2', 'edge1')].includes('down'),
      60_000,
    );
    expect([peerState(after, 'edge1', 'edge2'), peerState(after, 'edge2', 'edge1')]).toContain('down');
    expect((await labExec('cloud1', 'nft list table inet spanwise_kubespan')).stdout).not.toContain('kubespan_forward');
  });
});

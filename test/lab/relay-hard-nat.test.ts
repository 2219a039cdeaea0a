import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPaths } from '../../agent/shared/host-paths.js';
import type { ClusterStatus, PeerView } from '../../electron/contract/status.js';
import { supervisedStart, supervisedStop } from '../../electron/services/onboarding/supervisor.js';
import { spanwise } from '../support/spanwise-cli.js';
import { onboardLab, pairsUp, peerState, waitForStatus, type LabCluster } from './diagnosis/lab-cluster.js';
import { labExec } from './index.js';
import { waitFor } from './mesh/agent-api.js';
import { expectRelayedEncrypted, peerStatusLine } from './relay-traffic.js';
import { useLab } from './use-lab.js';

/**
 * hard-nat: edge1 and edge2 sit behind port-randomising NATs and never meet directly. Diagnosis
 * offers a relay through cloud1; applied from the CLI it brings the pair up through cloud1, which
 * carries it as WireGuard only; with cloud1's agent stopped the pair is reported down (no other node
 * can relay), and removing the relay from the settings takes the pair down.
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
    expect(await peerStatusLine('edge1', 'edge2')).toMatch(/ up .* cloud1$/);
    expect(await peerStatusLine('edge1', 'cloud1')).toMatch(/ -$/);
  });

  it('carries ping both ways over the ULAs, forwarded by cloud1 on its mesh link and crossing its underlay as WireGuard only', async () => {
    await expectRelayedEncrypted('cloud1', [
      { host: 'edge1', address: address(relayed, 'edge1') },
      { host: 'edge2', address: address(relayed, 'edge2') },
    ]);
  });

  it("reports the pair down on both ends once cloud1's agent stops, and up through cloud1 again once it starts", async () => {
    await labExec('cloud1', supervisedStop('agent'));
    const lines = async () => [await peerStatusLine('edge1', 'edge2'), await peerStatusLine('edge2', 'edge1')];
    await waitFor('edge1 and edge2 report each other down', async () => (await lines()).every((l) => / down .* cloud1$/.test(l)), {
      timeoutMs: 30_000,
      everyMs: 500,
      describe: async () => (await lines()).join('\n'),
    });
    const status = JSON.parse((await cli(['status', '--json'])).stdout) as ClusterStatus;
    expect(peer(status, 'edge1', 'edge2')).toMatchObject({ state: 'down', via: 'cloud1' });
    expect(peer(status, 'edge2', 'edge1')).toMatchObject({ state: 'down', via: 'cloud1' });
    await labExec('cloud1', supervisedStart('agent', `run --config ${hostPaths.config}`, false));
    expect(relayedUp(await waitForStatus(cluster.services, relayedUp, 60_000))).toBe(true);
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

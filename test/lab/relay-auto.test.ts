import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterStatus, PeerView } from '../../electron/contract/status.js';
import { supervisedStop } from '../../electron/services/onboarding/supervisor.js';
import { onboardLab, pairsUp, waitForStatus, type LabCluster } from './diagnosis/lab-cluster.js';
import { WAN } from './firewall.js';
import { labExec } from './index.js';
import { expectRelayedEncrypted, peerStatusLine } from './relay-traffic.js';
import { useLab } from './use-lab.js';

/**
 * hard-nat-relays in automatic relay mode, set before onboarding: the agents bring edge1-edge2 up
 * through a cloud node by themselves (it carries the pair as WireGuard only), move it to the other
 * cloud node when that relay's agent stops, and take it back to direct once the home gateway
 * forwards UDP 51820 to edge1.
 */
const lab = useLab('hard-nat-relays');
let cluster: LabCluster;
let relayed: ClusterStatus;
let relay = '';
const EDGES: [string, string] = ['edge1', 'edge2'];

const peer = (s: ClusterStatus, from: string, to: string): PeerView | undefined => s.nodes.find((n) => n.name === from)?.peers.find((p) => p.name === to);
const address = (s: ClusterStatus, name: string) => s.nodes.find((n) => n.name === name)?.address ?? '';
/** The edge pair is up both ways, through `via` on both ends (undefined: direct). */
const edgesVia = (via: string | undefined) => (s: ClusterStatus) =>
  peer(s, 'edge1', 'edge2')?.via === via && peer(s, 'edge2', 'edge1')?.via === via && pairsUp([EDGES])(s);

async function pingsBothWays(s: ClusterStatus): Promise<void> {
  expect((await labExec('edge1', ['ping', '-6', '-c', '2', '-W', '3', address(s, 'edge2')])).code).toBe(0);
  expect((await labExec('edge2', ['ping', '-6', '-c', '2', '-W', '3', address(s, 'edge1')])).code).toBe(0);
}

beforeAll(async () => {
  cluster = await onboardLab(lab.status, { settings: { relayMode: 'auto' } });
  relayed = await waitForStatus(cluster.services, (s) => ['cloud1', 'cloud2'].some((c) => edgesVia(c)(s)), 120_000);
  relay = peer(relayed, 'edge1', 'edge2')?.via ?? '';
}, 400_000);
afterAll(() => cluster?.close());

describe('automatic relays on hard-nat-relays', () => {
  it('brings edge1-edge2 up through a cloud node with no desktop call, shown on both agents, forwarded by the relay and crossing its underlay as WireGuard only', async () => {
    expect(['cloud1', 'cloud2']).toContain(relay);
    expect(edgesVia(relay)(relayed)).toBe(true);
    expect(await peerStatusLine('edge1', 'edge2')).toMatch(new RegExp(` up .* ${relay}$`));
    expect(await peerStatusLine('edge2', 'edge1')).toMatch(new RegExp(` up .* ${relay}$`));
    expect(await peerStatusLine('edge1', relay)).toMatch(/ -$/);
    await expectRelayedEncrypted(relay, [
      { host: 'edge1', address: address(relayed, 'edge1') },
      { host: 'edge2', address: address(relayed, 'edge2') },
    ]);
  });

  it("moves the pair to the other cloud node when the relay's agent stops", async () => {
    const other = relay === 'cloud1' ? 'cloud2' : 'cloud1';
    await labExec(relay, supervisedStop('agent'));
    const moved = await waitForStatus(cluster.services, edgesVia(other), 60_000);
    expect(await peerStatusLine('edge1', 'edge2')).toMatch(new RegExp(` up .* ${other}$`));
    expect(await peerStatusLine('edge2', 'edge1')).toMatch(new RegExp(` up .* ${other}$`));
    await pingsBothWays(moved);
  });

  it('goes back to direct once the home gateway keeps ports and forwards UDP 51820 to edge1', async () => {
    const edge1 = lab.host('edge1');
    await labExec(
      edge1.gateway ?? '',
      [
        'nft flush chain ip nat postrouting',
        `nft add rule ip nat postrouting oifname "${WAN}" masquerade`,
        `nft add rule ip nat prerouting iifname "${WAN}" udp dport 51820 dnat ip to ${edge1.privateAddress}:51820`,
      ].join(' && '),
    );
    const direct = await waitForStatus(cluster.services, edgesVia(undefined), 60_000);
    expect(await peerStatusLine('edge1', 'edge2')).toMatch(/ up .* -$/);
    expect(await peerStatusLine('edge2', 'edge1')).toMatch(/ up .* -$/);
    await pingsBothWays(direct);
  });
});

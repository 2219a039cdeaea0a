import { describe, expect, it } from 'vitest';
import { keyOf, simNode, simPairs, upView } from '../../../../test/support/diagnosis-fixtures/builders.js';
import type { AgentPeer, AgentPeerSpec } from '../../agents/agent-view.js';
import { report } from '../diagnose.js';
import type { NodeRead } from './node-read.js';
import { NOT_MANAGED_NOTE, notManagedEvidence } from './not-managed.js';

const talos = keyOf('talos');
const ula = 'fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169';
const spec: AgentPeerSpec = {
  publicKey: talos,
  label: 'talos-1',
  address: ula,
  allowedIps: ['10.9.0.5/32', '10.244.0.0/24', `${ula}/128`],
  endpoints: ['10.9.0.5:51820', '203.0.113.9:51820'],
};
const peerOfTalos = (state: 1 | 2, rx: number): AgentPeer => ({
  publicKey: talos,
  label: 'talos-1',
  state,
  endpoint: '203.0.113.9:51820',
  lastHandshakeMs: state === 1 ? 1000 : 0,
  rx,
  tx: 1480,
  reason: null,
  rttMs: null,
});
/** A read node as the gatherer holds it after reading its agent: its key, and its peers and peer specs. */
const read = (name: string, peers: AgentPeer[]): NodeRead =>
  ({ node: { name, site: 'cloud', sshHost: '198.18.0.1' }, publicKey: keyOf(name), peers, peerSpecs: [spec] }) as unknown as NodeRead;

describe('diagnosis of a member Spanwise does not manage', () => {
  const reads = [read('cloud1', [peerOfTalos(1, 900)]), read('cloud2', [peerOfTalos(2, 0)])];
  const foreign = notManagedEvidence(reads);

  it('builds its node from what it published and the agents saw, and judges its pairs from the Spanwise side only', () => {
    expect(foreign.nodes).toMatchObject([
      {
        name: 'talos-1',
        managed: false,
        addresses: ['10.9.0.5/32'],
        endpoints: spec.endpoints,
        reflectedIp: '203.0.113.9',
        agent: { reachable: false, via: null },
        firewall: null,
        nat: [{ observer: 'cloud1', observed: '203.0.113.9:51820', via: 'wireguard' }],
        publicKey: talos,
        meshAddress: ula,
        peers: [],
      },
    ]);
    expect(foreign.pairs.map((p) => [p.from, p.to, p.udp51820, p.tcp50000, p.peer?.state ?? null])).toEqual([
      ['cloud1', 'talos-1', 'open', 'unknown', 'up'],
      ['talos-1', 'cloud1', 'open', 'unknown', null],
      ['cloud2', 'talos-1', 'unknown', 'unknown', 'down'],
      ['talos-1', 'cloud2', 'unknown', 'unknown', null],
    ]);
  });

  it('reports it as not managed, finds the down pair with what it cannot see, and proposes no fix on its host', () => {
    const names = ['cloud1', 'cloud2'];
    const managed = [
      simNode({ name: 'cloud1', site: 'cloud', address: '198.18.0.11/24' }, ['cloud2']),
      simNode({ name: 'cloud2', site: 'cloud', address: '198.18.0.12/24' }, ['cloud1']),
    ];
    const pairs = simPairs(names, { udp: () => 'open', tcp: () => 'open', peer: (_, to) => upView(`198.18.0.${to === 'cloud1' ? 11 : 12}:51820`) });
    const result = report({ nodes: [...managed, ...foreign.nodes], pairs: [...pairs, ...foreign.pairs] }, 1);

    expect(result.notManaged).toEqual([
      {
        name: 'talos-1',
        publicKey: talos,
        endpoints: spec.endpoints,
        seenBy: [
          { node: 'cloud1', state: 'up' },
          { node: 'cloud2', state: 'down' },
        ],
        note: NOT_MANAGED_NOTE,
      },
    ]);
    expect(result.matrix.udp51820['cloud1']?.['talos-1']).toBe('open');
    expect(result.matrix.udp51820['talos-1']?.['cloud2']).toBe('unknown');
    const down = result.findings.filter((f) => f.code === 'PEER_DOWN');
    expect(down.map((f) => f.nodes)).toEqual([['cloud2', 'talos-1']]);
    expect(down[0]?.evidence).toEqual(
      expect.arrayContaining([
        "cloud2 sent 1480 B towards talos-1's published endpoints (10.9.0.5:51820, 203.0.113.9:51820) and received 0 B; UDP 51820 to talos-1 gets no answer",
        'talos-1 is behind NAT: its reflected address 203.0.113.9 is none of its own addresses',
        NOT_MANAGED_NOTE,
      ]),
    );
    expect(down[0]?.remediation).toEqual({
      summary: "Check that talos-1 accepts UDP 51820 at its published endpoints (its firewall is outside Spanwise's view), then cloud2's agent log.",
      hostFixes: [],
      changeRequest: 'Allow inbound UDP 51820 on talos-1 (10.9.0.5:51820, 203.0.113.9:51820) from 198.18.0.12.',
    });
    expect(result.findings.filter((f) => f.nodes.includes('talos-1')).flatMap((f) => f.remediation.hostFixes.filter((h) => h.node === 'talos-1'))).toEqual([]);
    expect(result.findings.filter((f) => f.nodes.includes('talos-1')).map((f) => f.code)).toEqual(['PEER_DOWN', 'BEHIND_NAT']);
  });
});

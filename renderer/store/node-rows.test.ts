import { describe, expect, it } from 'vitest';
import type { ClusterStatus, NodeStatus, PeerView } from '../../electron/contract/index.js';
import { clusterStatus, meshNode } from '../../test/support/renderer/mesh.js';
import { meanHealth, nodeRows } from './node-rows.js';

const peer = (name: string, state: PeerView['state']): PeerView => ({
  name,
  publicKey: `${name}-key`,
  state,
  endpoint: null,
  lastHandshake: null,
  rx: 0,
  tx: 0,
  rttMs: null,
  reason: null,
});
const node = (name: string, patch: Partial<NodeStatus> = {}): NodeStatus => ({
  name,
  site: 'edge',
  role: 'controlplane',
  agent: { reachable: true, via: 'ssh-tunnel', version: '0.9.0' },
  publicKey: null,
  address: '10.0.0.1',
  peers: [],
  managed: true,
  ...patch,
});
const status = (...nodes: NodeStatus[]): ClusterStatus => clusterStatus('prod', nodes);

describe('node rows', () => {
  it('take the nodes and live facts from the mesh view, and peers and errors from status', () => {
    const rows = nodeRows(
      [meshNode('a', { health: 75, site: 'datacenter' }), meshNode('b', { agentReachable: false, via: null, agentVersion: null })],
      status(
        node('a', { peers: [peer('b', 'up'), peer('c', 'down')] }),
        node('b', { agent: { reachable: false, via: null, version: null, error: 'connect ECONNREFUSED' } }),
        node('gone'),
      ),
    );
    expect(rows).toEqual([
      {
        name: 'a',
        site: 'datacenter',
        role: 'worker',
        reachable: true,
        via: 'direct',
        version: '1.0.0',
        address: 'fd00::1',
        health: 75,
        peersUp: 1,
        peersTotal: 2,
        error: null,
        managed: true,
      },
      {
        name: 'b',
        site: 'cloud',
        role: 'worker',
        reachable: false,
        via: null,
        version: null,
        address: 'fd00::1',
        health: 100,
        peersUp: 0,
        peersTotal: 0,
        error: 'connect ECONNREFUSED',
        managed: true,
      },
    ]);
  });

  it('mark a member Spanwise does not manage, from the mesh view or from status', () => {
    const foreign = { agent: { reachable: false, via: null, version: null }, managed: false };
    expect(nodeRows([meshNode('talos-1', { managed: false, agentReachable: false })], null).map((r) => [r.name, r.managed])).toEqual([['talos-1', false]]);
    expect(nodeRows(undefined, status(node('a'), node('talos-1', foreign))).map((r) => [r.name, r.managed])).toEqual([
      ['a', true],
      ['talos-1', false],
    ]);
  });

  it('fall back to status alone, with health from the peers that are up', () => {
    const rows = nodeRows(undefined, status(node('a', { peers: [peer('b', 'up'), peer('c', 'down'), peer('d', 'unknown'), peer('e', 'up')] }), node('b')));
    expect(rows.map((r) => [r.name, r.site, r.role, r.via, r.version, r.health, r.peersUp, r.peersTotal])).toEqual([
      ['a', 'edge', 'controlplane', 'ssh-tunnel', '0.9.0', 50, 2, 4],
      ['b', 'edge', 'controlplane', 'ssh-tunnel', '0.9.0', null, 0, 0],
    ]);
    expect(meanHealth(rows)).toBe(50);
  });

  it('list no nodes without either source, and no mean without scores', () => {
    expect(nodeRows(undefined, null)).toEqual([]);
    expect(nodeRows([meshNode('x')], null)).toMatchObject([{ name: 'x', peersTotal: 0, error: null }]);
    expect(meanHealth([])).toBeNull();
    expect(meanHealth(nodeRows([meshNode('a', { health: 20 }), meshNode('b', { health: 60 })], null))).toBe(40);
  });
});

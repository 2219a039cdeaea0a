import { describe, expect, it } from 'vitest';
import { fragilePeers, statusProblems } from '../../cli/status-command.js';
import type { ClusterStatus, NodeStatus, PeerView } from '../../contract/status.js';
import { healthOf } from '../health/health-model.js';
import { pairCodes } from '../../contract/mesh.js';
import { withHealth } from './status-health.js';

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
const node = (name: string, peers: PeerView[]): NodeStatus => ({
  name,
  site: 'cloud',
  role: 'worker',
  managed: true,
  agent: { reachable: true, via: 'direct', version: '1' },
  publicKey: null,
  address: null,
  peers,
});
const status = (bState: PeerView['state']): Omit<ClusterStatus, 'health'> => ({
  cluster: { name: 'c', clusterId: 'id', discovery: 'https://d' },
  nodes: [node('a', [peer('b', 'up')]), node('b', [peer('a', bState)])],
});
const model = (cells: number[]) =>
  healthOf({
    cluster: 'c',
    meshVersion: 1,
    nodes: ['a', 'b'].map((name) => ({ name, site: 'cloud' as const, agentReachable: true })),
    cells,
    mtu: null,
    report: {
      generatedAt: 'x',
      durationMs: 1,
      findings: [],
      causes: [],
      matrix: { udp51820: { a: { b: 'blocked' }, b: { a: 'open' } }, tcp50000: {} },
    },
  });

describe('status with the health model', () => {
  it("lists fragile pairs with their reasons and carries the score; the peers keep the agents' states; fragile is shown, but no failure (exit 0)", () => {
    const s = withHealth(status('up'), model([pairCodes.self, pairCodes.up, pairCodes.up, pairCodes.self]));
    expect(s.nodes.map((n) => n.peers.map((p) => p.state))).toEqual([['up'], ['up']]);
    expect(s.health).toEqual({
      score: 50,
      verdict: 'fragile',
      counts: { up: 0, fragile: 2, down: 0, unknown: 0 },
      pairs: [
        { from: 'a', to: 'b', state: 'fragile', reasons: ['ONE_WAY_INBOUND'] },
        { from: 'b', to: 'a', state: 'fragile', reasons: ['ONE_WAY_INBOUND'] },
      ],
    });
    expect(statusProblems(s)).toEqual([]);
    expect(fragilePeers(s)).toEqual(['a -> b: ONE_WAY_INBOUND', 'b -> a: ONE_WAY_INBOUND']);
  });

  it('keeps a down peer down, and that is a failure', () => {
    const s = withHealth(status('down'), model([pairCodes.self, pairCodes.up, pairCodes.down, pairCodes.self]));
    expect(s.health.pairs).toContainEqual({ from: 'b', to: 'a', state: 'down', reasons: [] });
    expect(s.health.verdict).toBe('down');
    expect(statusProblems(s)).toEqual(['b -> a: peer down']);
  });
});

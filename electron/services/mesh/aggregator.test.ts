import { describe, expect, it } from 'vitest';
import { pairCodes } from '../../contract/mesh.js';
import { MeshAggregator } from './aggregator.js';
import type { MeshNodeInfo, PeerObservation } from './types.js';

const nodes: MeshNodeInfo[] = ['a', 'b', 'c'].map((name) => ({ name, site: 'cloud', role: 'worker' }));
const peer = (to: number, state: 0 | 1 | 2, rx = 0, tx = 0): PeerObservation => ({
  to,
  state,
  endpoint: '198.18.1.1:51820',
  lastHandshakeMs: state === 1 ? 1_000 : 0,
  rx,
  tx,
  reason: null,
  rttMs: state === 1 ? 0.8 : null,
});
const link = { reachable: true, via: 'direct' as const, address: null, agentVersion: '0.1.0' };

describe('MeshAggregator', () => {
  it('starts with self cells and unknown pairs, and health 0', () => {
    const agg = new MeshAggregator(nodes, () => 0);
    const snap = agg.snapshot();
    expect(snap.cells).toEqual([3, 0, 0, 0, 3, 0, 0, 0, 3]);
    expect(snap.clusterHealth).toBe(0);
    expect(snap.version).toBe(0);
  });

  it('patches only changed cells and the nodes whose health moved, with growing versions', () => {
    const agg = new MeshAggregator(nodes, () => 0);
    agg.setAgent(0, link);
    agg.observe(0, peer(1, 1), 1000);
    agg.observe(0, peer(2, 2), 1000);
    const first = agg.takePatch();
    expect(first?.kind).toBe('patch');
    if (first?.kind !== 'patch') return;
    expect(first.patch.version).toBe(1);
    expect(first.patch.cells).toEqual([
      [1, pairCodes.up],
      [2, pairCodes.down],
    ]);
    expect(first.patch.nodes.map((n) => [n.name, n.health])).toEqual([
      ['a', 25],
      ['b', 25],
    ]);
    expect(first.patch.clusterHealth).toBe(17);
    agg.observe(0, peer(1, 1), 2000);
    expect(agg.takePatch()).toBeNull();
    agg.observe(1, peer(0, 1), 2000);
    const second = agg.takePatch();
    expect(second?.kind === 'patch' && second.patch).toMatchObject({ version: 2, cells: [[3, 1]] });
  });

  it('applies a patch sequence to the first snapshot to give the latest snapshot', () => {
    const agg = new MeshAggregator(nodes, () => 0);
    const cells = agg.snapshot().cells.slice();
    for (let round = 0; round < 5; round += 1) {
      for (let from = 0; from < 3; from += 1)
        agg.replaceRow(
          from,
          [0, 1, 2].filter((t) => t !== from).map((t) => peer(t, ((from + t + round) % 3) as 0 | 1 | 2)),
          round * 1000,
        );
      const taken = agg.takePatch();
      if (taken?.kind === 'patch') for (const [i, code] of taken.patch.cells) cells[i] = code;
      if (taken?.kind === 'snapshot') cells.splice(0, cells.length, ...taken.snapshot.cells);
    }
    expect(cells).toEqual(agg.snapshot().cells);
  });

  it('computes rates from counter deltas and ignores counter resets', () => {
    const agg = new MeshAggregator(nodes, () => 0);
    agg.observe(0, peer(1, 1, 1000, 500), 10_000);
    agg.observe(0, peer(1, 1, 21_000, 10_500), 20_000);
    expect(agg.detail(0, 1)).toMatchObject({ rxRate: 2000, txRate: 1000, rx: 21_000, state: 'up', lastHandshake: new Date(1000).toISOString() });
    agg.observe(0, peer(1, 1, 10, 10), 30_000);
    expect(agg.detail(0, 1)).toMatchObject({ rxRate: 0, txRate: 0 });
  });

  it("turns an unreachable agent's row unknown and a row not reported unknown", () => {
    const agg = new MeshAggregator(nodes, () => 0);
    agg.setAgent(0, link);
    agg.replaceRow(0, [peer(1, 1), peer(2, 1)], 1000);
    agg.replaceRow(0, [peer(1, 1)], 2000);
    expect(agg.code(0, 2)).toBe(pairCodes.unknown);
    agg.setAgent(0, { ...link, reachable: false, via: null });
    expect(agg.code(0, 1)).toBe(pairCodes.unknown);
    expect(agg.snapshot().nodes[0]).toMatchObject({ agentReachable: false, health: 0 });
  });

  it('sends a snapshot instead of a patch when most cells changed', () => {
    const agg = new MeshAggregator(nodes, () => 0);
    for (let from = 0; from < 3; from += 1)
      agg.replaceRow(
        from,
        [0, 1, 2].filter((t) => t !== from).map((t) => peer(t, 1)),
        1000,
      );
    const taken = agg.takePatch();
    expect(taken?.kind).toBe('snapshot');
    expect(taken?.kind === 'snapshot' && taken.snapshot.clusterHealth).toBe(100);
  });

  it('holds 500 nodes in dense arrays and applies a full round', () => {
    const n = 500;
    const agg = new MeshAggregator(
      Array.from({ length: n }, (_, i) => ({ name: `n${i}`, site: 'edge', role: 'worker' })),
      () => 0,
    );
    for (let from = 0; from < n; from += 1) for (let to = 0; to < n; to += 1) if (to !== from) agg.observe(from, peer(to, 1), 1000);
    const taken = agg.takePatch();
    expect(taken?.kind === 'snapshot' && taken.snapshot.cells.length).toBe(n * n);
    expect(taken?.kind === 'snapshot' && taken.snapshot.clusterHealth).toBe(100);
  });
});

describe('MeshAggregator.following', () => {
  it('keeps the links and pairs of the nodes that stay, one version on, and scores only the new node set', () => {
    const agg = new MeshAggregator(nodes, () => 0);
    agg.setAgent(0, link);
    agg.observe(0, peer(1, 1, 10, 20), 1000);
    agg.observe(0, peer(1, 1, 2010, 20), 3000);
    agg.observe(1, peer(0, 1), 1000);
    agg.observe(0, peer(2, 2), 1000);
    agg.takePatch();
    const next = MeshAggregator.following(agg, [nodes[1] as MeshNodeInfo, nodes[0] as MeshNodeInfo, { name: 'd', site: 'edge', role: 'worker' }]);
    const snap = next.snapshot();
    expect(snap.version).toBe(2);
    expect(snap.nodes.map((n) => [n.name, n.agentReachable])).toEqual([
      ['b', false],
      ['a', true],
      ['d', false],
    ]);
    expect(snap.cells).toEqual([3, 1, 0, 1, 3, 0, 0, 0, 3]);
    expect(next.detail(1, 0)).toMatchObject({ from: 'a', to: 'b', rx: 2010, rxRate: 1000 });
    expect(snap.clusterHealth).toBe(33);
    expect(next.hasChanges()).toBe(false);
  });

  it('keeps a relayed pair with its relay and since when, counts it up, and sends every relayed cell again when one changes', () => {
    const agg = new MeshAggregator(nodes, () => 0);
    agg.setAgent(0, link);
    agg.observe(0, { ...peer(1, 1), state: pairCodes.relayed, via: 'c', endpoint: null, rttMs: 4.5 }, 5_000);
    const taken = agg.takePatch();
    expect(taken?.kind === 'patch' && taken.patch).toMatchObject({ cells: [[1, pairCodes.relayed]], relays: [[1, 'c']], clusterHealth: 17 });
    expect(agg.detail(0, 1)).toMatchObject({ state: 'relayed', via: 'c', relayedSince: new Date(5_000).toISOString(), rttMs: 4.5 });
    expect(agg.snapshot().relays).toEqual([[1, 'c']]);
    agg.observe(0, { ...peer(1, 1), state: pairCodes.relayed, via: 'c' }, 6_000);
    expect(agg.takePatch()).toBeNull();
    const next = MeshAggregator.following(agg, nodes);
    expect(next.detail(0, 1)).toMatchObject({ via: 'c', relayedSince: new Date(5_000).toISOString() });
    agg.observe(0, peer(1, 1), 7_000);
    const direct = agg.takePatch();
    expect(direct?.kind === 'patch' && direct.patch).toMatchObject({ cells: [[1, pairCodes.up]], relays: [] });
    expect(agg.detail(0, 1)).toMatchObject({ state: 'up', via: null, relayedSince: null });
    expect(agg.snapshot().relays).toBeUndefined();
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import type { EventChannel, Events, MeshSnapshot } from '../../contract/index.js';
import { DomainEvents } from '../domain-events.js';
import { EventBus } from '../events.js';
import { openDatabase, type Db } from '../store/database.js';
import { MeshHistoryStore } from '../store/mesh-history.js';
import type { MeshAggregator } from './aggregator.js';
import { MeshService } from './mesh-service.js';
import type { MeshSource } from './mesh-source.js';
import type { MeshNodeInfo } from './types.js';

/** A fake source: records what the service asks of it. */
class FakeSource implements MeshSource {
  agg: MeshAggregator | null = null;
  followed: string[][] = [];
  refreshed: string[] = [];
  stopped = false;
  follow(aggregator: MeshAggregator): void {
    this.agg = aggregator;
    this.followed.push(Array.from({ length: aggregator.n }, (_, i) => aggregator.nameOf(i) as string));
  }
  refresh(name: string): void {
    this.refreshed.push(name);
  }
  async stop(): Promise<void> {
    this.agg = null;
    this.stopped = true;
  }
  agent(): undefined {
    return undefined;
  }
  async settled(): Promise<void> {}
}

const node = (name: string): MeshNodeInfo => ({ name, site: 'cloud', role: 'worker' });
const up = (to: number, at: number) => ({ to, state: 1 as const, endpoint: null, lastHandshakeMs: at, rx: 1, tx: 1, reason: null, rttMs: null });

describe('MeshService', () => {
  let dir: string;
  let db: Db;
  let now: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'spanwise-mesh-'));
    db = openDatabase(dir);
    db.prepare(
      "INSERT INTO clusters (name, cluster_id, secret_sealed, ca_cert, ca_key_sealed, discovery, created_at) VALUES ('lab', 'id', x'00', '', x'00', '{}', '')",
    ).run();
    now = 1_700_000_000_000;
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function setup() {
    const events = new EventBus();
    const seen: Array<{ event: EventChannel; payload: unknown }> = [];
    events.subscribe(<E extends EventChannel>(event: E, payload: Events[E]) => void seen.push({ event, payload }));
    const source = new FakeSource();
    const history = new MeshHistoryStore(db);
    const service = new MeshService({
      nodes: () => ({ cluster: 'lab', nodes: ['a', 'b'].map(node) }),
      source: () => source,
      history,
      events,
      inventory: new DomainEvents(),
      now: () => now,
      historyEveryMs: 60_000,
      retention: { maxAgeMs: 3600_000, maxRows: 3 },
    });
    return { service, source, seen, history };
  }

  it('emits a snapshot on start and patches on change', async () => {
    const { service, source, seen } = setup();
    service.start();
    expect(seen.map((s) => s.event)).toEqual(['mesh:snapshot']);
    source.agg?.observe(0, { to: 1, state: 1, endpoint: null, lastHandshakeMs: now, rx: 1, tx: 1, reason: null, rttMs: null }, now);
    service.flush();
    service.flush();
    expect(seen.map((s) => s.event)).toEqual(['mesh:snapshot', 'mesh:patch']);
    expect(seen[0]?.payload).toMatchObject({ cluster: 'lab', version: 0 });
    expect(seen[1]?.payload).toMatchObject({ version: 1, cells: [[1, 1]] });
    await service.stop();
  });

  it('samples history on change and at intervals, returns it with the pair, and prunes by row count and age', async () => {
    const { service, source, history } = setup();
    service.start();
    const agg = source.agg as MeshAggregator;
    agg.observe(0, { to: 1, state: 1, endpoint: '198.18.1.11:51820', lastHandshakeMs: now, rx: 0, tx: 0, reason: null, rttMs: 1.5 }, now);
    service.sample();
    now += 10_000;
    agg.observe(0, { to: 1, state: 1, endpoint: '198.18.1.11:51820', lastHandshakeMs: now, rx: 10_000, tx: 0, reason: null, rttMs: 2.5 }, now);
    service.sample();
    expect(history.count()).toBe(1);
    now += 60_000;
    service.sample();
    expect(history.count()).toBe(2);
    const detail = service.pair('a', 'b', 60);
    expect(detail).toMatchObject({ from: 'a', to: 'b', state: 'up', endpoint: '198.18.1.11:51820', rxRate: 1000, rttMs: 2.5 });
    expect(detail.history.map((h) => [h.state, h.rttMs])).toEqual([
      ['up', 1.5],
      ['up', 2.5],
    ]);
    history.append(
      'lab',
      [1, 2, 3].map((i) => ({ from: 'b', to: 'a', at: now - 7200_000 + i, state: 'down' as const, rxRate: 0, txRate: 0, rttMs: null })),
    );
    history.append(
      'lab',
      [1, 2].map((i) => ({ from: 'b', to: 'a', at: now + i, state: 'down' as const, rxRate: 0, txRate: 0, rttMs: null })),
    );
    expect(history.prune(now, { maxAgeMs: 3600_000, maxRows: 3 })).toBe(4);
    expect(history.count()).toBe(3);
    expect(() => service.pair('a', 'zz', 5)).toThrow(/no node named 'zz'/);
    await service.stop();
  });
});

describe('MeshService following the inventory', () => {
  let dir: string;
  let db: Db;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'spanwise-mesh-'));
    db = openDatabase(dir);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A service over an inventory held in memory; `change` edits it and tells the service as the real services do. */
  function setup() {
    const inventory: { current: string | null; machines: Record<string, string[]> } = {
      current: 'lab',
      machines: { lab: ['a', 'b'], edge: ['e1', 'e2', 'e3'] },
    };
    const events = new EventBus();
    const snapshots: MeshSnapshot[] = [];
    events.subscribe((event, payload) => void (event === 'mesh:snapshot' && snapshots.push(payload as MeshSnapshot)));
    const domain = new DomainEvents();
    const sources: FakeSource[] = [];
    const history = new MeshHistoryStore(db);
    let now = 1_700_000_000_000;
    const service = new MeshService({
      nodes: () => {
        if (!inventory.current) throw new SpanwiseError('NO_CLUSTER', 'no cluster selected');
        return { cluster: inventory.current, nodes: (inventory.machines[inventory.current] ?? []).map(node) };
      },
      source: () => {
        const source = new FakeSource();
        sources.push(source);
        return source;
      },
      history,
      events,
      inventory: domain,
      now: () => now,
    });
    const tick = (ms: number) => (now += ms);
    return { service, inventory, domain, snapshots, sources, history, tick, latest: () => snapshots.at(-1) as MeshSnapshot };
  }

  it('shows a machine added later without a restart, keeping the watch and what it knew of the others', async () => {
    const { service, inventory, domain, snapshots, sources, latest, tick } = setup();
    service.start();
    const agg = sources[0]?.agg as MeshAggregator;
    agg.setAgent(0, { reachable: true, via: 'direct', address: 'fd00::a', agentVersion: '0.1.0' });
    agg.observe(0, up(1, 1000), 1000);
    tick(5000);
    agg.observe(0, { ...up(1, 6000), rx: 5001 }, 6000);
    service.flush();
    inventory.machines.lab = ['a', 'b', 'c'];
    domain.emit({ kind: 'machine-added', cluster: 'lab', machine: 'c' });
    expect(sources).toHaveLength(1);
    expect(sources[0]?.followed).toEqual([
      ['a', 'b'],
      ['a', 'b', 'c'],
    ]);
    const view = latest();
    expect(view.nodes.map((n) => n.name)).toEqual(['a', 'b', 'c']);
    expect(view.version).toBe(2);
    expect(view.cells).toEqual([3, 1, 0, 0, 3, 0, 0, 0, 3]);
    expect(view.nodes[0]).toMatchObject({ agentReachable: true, address: 'fd00::a' });
    expect(service.pair('a', 'b', 5)).toMatchObject({ state: 'up', rxRate: 1000 });
    expect(snapshots.map((s) => s.version)).toEqual([0, 2]);
    await service.stop();
  });

  it('drops a removed machine from the view and from the health score', async () => {
    const { service, inventory, domain, sources, latest } = setup();
    inventory.machines.lab = ['a', 'b', 'gone'];
    service.start();
    const agg = sources[0]?.agg as MeshAggregator;
    for (const [from, to] of [
      [0, 1],
      [1, 0],
    ] as const)
      agg.observe(from, up(to, 1000), 1000);
    service.flush();
    expect(service.snapshot().clusterHealth).toBe(33);
    inventory.machines.lab = ['a', 'b'];
    domain.emit({ kind: 'machine-removed', cluster: 'lab', machine: 'gone' });
    expect(latest()).toMatchObject({ cluster: 'lab', clusterHealth: 100, cells: [3, 1, 1, 3] });
    expect(latest().nodes.map((n) => n.name)).toEqual(['a', 'b']);
    expect(() => service.pair('a', 'gone', 5)).toThrow(/no node named 'gone'/);
    await service.stop();
  });

  it('starts over on a cluster switch, with the other cluster only and history kept per cluster', async () => {
    const { service, inventory, domain, sources, latest, history, tick } = setup();
    service.start();
    (sources[0]?.agg as MeshAggregator).observe(0, up(1, 1000), 1000);
    service.sample();
    inventory.current = 'edge';
    domain.emit({ kind: 'cluster-selected', cluster: 'edge' });
    expect(sources[0]?.stopped).toBe(true);
    expect(sources).toHaveLength(2);
    expect(latest()).toMatchObject({ cluster: 'edge', clusterHealth: 0 });
    expect(latest().nodes.map((n) => n.name)).toEqual(['e1', 'e2', 'e3']);
    expect(() => service.pair('a', 'b', 5)).toThrow(/no node named 'a' in the mesh of edge/);
    tick(1000);
    (sources[1]?.agg as MeshAggregator).observe(2, up(0, 2000), 2000);
    service.sample();
    expect(service.pair('e3', 'e1', 5).history).toHaveLength(1);
    inventory.current = 'lab';
    domain.emit({ kind: 'cluster-selected', cluster: 'lab' });
    expect(service.pair('a', 'b', 5).history.map((h) => h.state)).toEqual(['up']);
    expect(history.count()).toBe(2);
    await service.stop();
  });

  it('pushes an empty view when no cluster is left, and picks up the next one', async () => {
    const { service, inventory, domain, sources, latest } = setup();
    service.start();
    inventory.current = null;
    domain.emit({ kind: 'cluster-deleted', cluster: 'lab' });
    expect(latest()).toMatchObject({ cluster: null, nodes: [], cells: [] });
    expect(() => service.snapshot()).toThrow(/no cluster selected/);
    inventory.current = 'edge';
    domain.emit({ kind: 'cluster-created', cluster: 'edge' });
    expect(latest()).toMatchObject({ cluster: 'edge' });
    expect(sources.map((s) => s.stopped)).toEqual([true, false]);
    await service.stop();
  });

  it('keeps the view when the node set is unchanged, and asks a just-onboarded node again at once', async () => {
    const { service, domain, snapshots, sources } = setup();
    service.start();
    domain.emit({ kind: 'machine-state', cluster: 'lab', machine: 'b', state: 'onboarding' });
    domain.emit({ kind: 'machine-state', cluster: 'lab', machine: 'b', state: 'onboarded' });
    expect(snapshots).toHaveLength(1);
    expect(sources[0]?.refreshed).toEqual(['b']);
    await service.stop();
    domain.emit({ kind: 'machine-added', cluster: 'lab', machine: 'c' });
    expect(snapshots).toHaveLength(1);
  });

  it('never goes back in version across rebuilds, so a UI can drop a stale view', async () => {
    const { service, inventory, domain, snapshots } = setup();
    service.start();
    inventory.current = 'edge';
    domain.emit({ kind: 'cluster-selected', cluster: 'edge' });
    await service.restart();
    const versions = snapshots.map((s) => s.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    await service.stop();
  });
});

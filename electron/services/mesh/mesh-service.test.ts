import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventChannel, Events } from '../../contract/index.js';
import { EventBus } from '../events.js';
import { openDatabase, type Db } from '../store/database.js';
import { MeshHistoryStore } from '../store/mesh-history.js';
import type { MeshAggregator } from './aggregator.js';
import { MeshService } from './mesh-service.js';
import type { MeshSource } from './mesh-source.js';

class FakeSource implements MeshSource {
  agg: MeshAggregator | null = null;
  start(aggregator: MeshAggregator): void {
    this.agg = aggregator;
  }
  async stop(): Promise<void> {
    this.agg = null;
  }
}

describe('MeshService', () => {
  let dir: string;
  let db: Db;
  let now: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'spanwise-mesh-'));
    db = openDatabase(dir);
    db.prepare("INSERT INTO clusters (name, cluster_id, secret_sealed, ca_cert, ca_key_sealed, discovery, created_at) VALUES ('lab', 'id', x'00', '', x'00', '{}', '')").run();
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
      nodes: () => ({ cluster: 'lab', nodes: ['a', 'b'].map((name) => ({ name, site: 'cloud' as const, role: 'worker' as const })) }),
      source: () => source,
      history,
      events,
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
    expect(detail.history.map((h) => [h.state, h.rttMs])).toEqual([['up', 1.5], ['up', 2.5]]);
    history.append('lab', [1, 2, 3].map((i) => ({ from: 'b', to: 'a', at: now - 7200_000 + i, state: 'down' as const, rxRate: 0, txRate: 0, rttMs: null })));
    history.append('lab', [1, 2].map((i) => ({ from: 'b', to: 'a', at: now + i, state: 'down' as const, rxRate: 0, txRate: 0, rttMs: null })));
    expect(history.prune(now, { maxAgeMs: 3600_000, maxRows: 3 })).toBe(4);
    expect(history.count()).toBe(3);
    expect(() => service.pair('a', 'zz', 5)).toThrow(/no node named 'zz'/);
    await service.stop();
  });
});

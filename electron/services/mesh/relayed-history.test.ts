import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { pairCodes } from '../../contract/mesh.js';
import { openDatabase } from '../store/database.js';
import { MeshHistoryStore } from '../store/mesh-history.js';
import { migrations } from '../store/migrations.js';
import { MeshAggregator } from './aggregator.js';
import { HistorySampler } from './history-sampler.js';

describe('the history of a relayed pair', () => {
  it('keeps the samples written before relays existed and stores relayed ones in the real SQLite inventory', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'spanwise-relayed-history-'));
    const old = new DatabaseSync(join(dataDir, 'inventory.sqlite'));
    const before = migrations.length - 1;
    for (const migration of migrations.slice(0, before)) old.exec(migration);
    old.exec(`PRAGMA user_version = ${before}`);
    old.prepare('INSERT INTO mesh_samples VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run('hard-nat', 'edge1', 'edge2', 1_000, 'down', 0, 0, null);
    old.close();

    const db = openDatabase(dataDir);
    const history = new MeshHistoryStore(db);
    const nodes = ['cloud1', 'edge1', 'edge2'].map((name) => ({ name, site: 'edge' as const, role: 'worker' as const }));
    const agg = new MeshAggregator(nodes, () => 0);
    const sampler = new HistorySampler(agg);
    const observe = { endpoint: null, lastHandshakeMs: 0, rx: 0, tx: 0, reason: null };
    agg.observe(1, { ...observe, to: 2, state: pairCodes.relayed, via: 'cloud1', rttMs: 9 }, 2_000);
    history.append('hard-nat', sampler.due(2_000));
    expect(history.pair('hard-nat', 'edge1', 'edge2', 0).map((s) => [s.state, s.rttMs])).toEqual([
      ['down', null],
      ['relayed', 9],
    ]);
    expect(() => db.prepare("INSERT INTO mesh_samples VALUES ('c', 'a', 'b', 1, 'sideways', 0, 0, NULL)").run()).toThrow(/CHECK constraint failed/);
    db.close();
  });
});

import type { PairSample, PairState } from '../../contract/mesh.js';
import { inTransaction, type Db } from './database.js';

/** One row to store: a pair's state and rates at a time (ms since the epoch). */
export interface PairSampleRow {
  from: string;
  to: string;
  at: number;
  state: PairState;
  rxRate: number;
  txRate: number;
  rttMs: number | null;
}

/** How much history is kept: by age and by row count (whichever removes more). */
export interface Retention {
  maxAgeMs: number;
  maxRows: number;
}

export const defaultRetention: Retention = { maxAgeMs: 7 * 24 * 3600_000, maxRows: 2_000_000 };

/** Pair history of the mesh view, per cluster. */
export class MeshHistoryStore {
  constructor(private readonly db: Db) {}

  /** Appends samples in one transaction. */
  append(cluster: string, rows: PairSampleRow[]): void {
    if (rows.length === 0) return;
    const insert = this.db.prepare(
      'INSERT INTO mesh_samples (cluster, from_node, to_node, at, state, rx_rate, tx_rate, rtt_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    inTransaction(this.db, () => {
      for (const r of rows) insert.run(cluster, r.from, r.to, Math.round(r.at), r.state, r.rxRate, r.txRate, r.rttMs);
    });
  }

  /** Samples of one ordered pair since `sinceMs`, oldest first. */
  pair(cluster: string, from: string, to: string, sinceMs: number): PairSample[] {
    const rows = this.db
      .prepare('SELECT at, state, rx_rate, tx_rate, rtt_ms FROM mesh_samples WHERE cluster = ? AND from_node = ? AND to_node = ? AND at >= ? ORDER BY at')
      .all(cluster, from, to, Math.round(sinceMs)) as Array<{ at: number; state: PairState; rx_rate: number; tx_rate: number; rtt_ms: number | null }>;
    return rows.map((r) => ({ at: new Date(r.at).toISOString(), state: r.state, rxRate: r.rx_rate, txRate: r.tx_rate, rttMs: r.rtt_ms }));
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM mesh_samples').get() as { n: number }).n;
  }

  /** Removes samples older than the age limit, then the oldest beyond the row limit; returns how many went. */
  prune(nowMs: number, retention: Retention = defaultRetention): number {
    let removed = Number(this.db.prepare('DELETE FROM mesh_samples WHERE at < ?').run(Math.round(nowMs - retention.maxAgeMs)).changes);
    const excess = this.count() - retention.maxRows;
    if (excess > 0)
      removed += Number(
        this.db.prepare('DELETE FROM mesh_samples WHERE rowid IN (SELECT rowid FROM mesh_samples ORDER BY at, rowid LIMIT ?)').run(excess).changes,
      );
    return removed;
  }
}

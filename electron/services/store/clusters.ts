import type { DiscoveryPlacement } from '../../contract/clusters.js';
import { blob, type Db } from './database.js';

/** A stored cluster row; sealed fields are encrypted by the SecretBox. */
export interface ClusterRow {
  name: string;
  clusterId: string;
  secretSealed: Buffer;
  caCert: string;
  caKeySealed: Buffer;
  discovery: DiscoveryPlacement;
  createdAt: string;
}

interface RawClusterRow {
  name: string;
  cluster_id: string;
  secret_sealed: Uint8Array;
  ca_cert: string;
  ca_key_sealed: Uint8Array;
  discovery: string;
  created_at: string;
}

const fromRaw = (row: RawClusterRow): ClusterRow => ({
  name: row.name,
  clusterId: row.cluster_id,
  secretSealed: blob(row.secret_sealed),
  caCert: row.ca_cert,
  caKeySealed: blob(row.ca_key_sealed),
  discovery: JSON.parse(row.discovery) as DiscoveryPlacement,
  createdAt: row.created_at,
});

/** Clusters and the current-cluster setting. */
export class ClusterStore {
  constructor(private readonly db: Db) {}

  list(): ClusterRow[] {
    return (this.db.prepare('SELECT * FROM clusters ORDER BY created_at, name').all() as unknown as RawClusterRow[]).map(fromRaw);
  }

  get(name: string): ClusterRow | undefined {
    const row = this.db.prepare('SELECT * FROM clusters WHERE name = ?').get(name) as RawClusterRow | undefined;
    return row && fromRaw(row);
  }

  insert(row: ClusterRow): void {
    this.db
      .prepare('INSERT INTO clusters (name, cluster_id, secret_sealed, ca_cert, ca_key_sealed, discovery, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(row.name, row.clusterId, row.secretSealed, row.caCert, row.caKeySealed, JSON.stringify(row.discovery), row.createdAt);
  }

  updateCa(name: string, caCert: string, caKeySealed: Buffer): void {
    this.db.prepare('UPDATE clusters SET ca_cert = ?, ca_key_sealed = ? WHERE name = ?').run(caCert, caKeySealed, name);
  }

  delete(name: string): boolean {
    return this.db.prepare('DELETE FROM clusters WHERE name = ?').run(name).changes > 0;
  }

  /** The cluster's mesh settings as stored (validated on the way in). */
  settings(name: string): unknown {
    const row = this.db.prepare('SELECT settings FROM clusters WHERE name = ?').get(name) as { settings: string } | undefined;
    return row ? JSON.parse(row.settings) : {};
  }

  setSettings(name: string, settings: object): void {
    this.db.prepare('UPDATE clusters SET settings = ? WHERE name = ?').run(JSON.stringify(settings), name);
  }

  machineCount(name: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM machines WHERE cluster = ?').get(name) as { n: number }).n;
  }

  currentName(): string | undefined {
    const row = this.db.prepare("SELECT value FROM settings WHERE key = 'current_cluster'").get() as { value: string } | undefined;
    return row?.value;
  }

  setCurrent(name: string | null): void {
    if (name === null) this.db.prepare("DELETE FROM settings WHERE key = 'current_cluster'").run();
    else this.db.prepare("INSERT INTO settings (key, value) VALUES ('current_cluster', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(name);
  }
}

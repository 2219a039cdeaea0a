import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { migrations } from './migrations.js';

/**
 * The inventory database handle: Node's built-in SQLite (`node:sqlite`), the same
 * module in Node and in Electron's main process, so one checkout serves the CLI,
 * the tests, the app and the installers with no native build.
 */
export type Db = DatabaseSync;

/** Runs `work` in one transaction: committed when it returns, rolled back when it throws. */
export function inTransaction<T>(db: Db, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

/** A BLOB column as a Buffer (node:sqlite returns Uint8Array). */
export function blob(value: Uint8Array): Buffer;
export function blob(value: Uint8Array | null): Buffer | null;
export function blob(value: Uint8Array | null): Buffer | null {
  return value === null ? null : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/**
 * Opens (creating if needed) `<dataDir>/inventory.sqlite` in WAL mode with
 * foreign keys on, and applies pending migrations in one transaction each.
 */
export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'inventory.sqlite');
  const db = new DatabaseSync(path, { timeout: 5000 });
  chmodSync(path, 0o600);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;');
  const current = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  for (let version = current; version < migrations.length; version += 1) {
    inTransaction(db, () => {
      db.exec(migrations[version] as string);
      db.exec(`PRAGMA user_version = ${version + 1}`);
    });
  }
  return db;
}

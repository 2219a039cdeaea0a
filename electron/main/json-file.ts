import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/** Reads a small JSON file the app keeps in its data dir; undefined when it is missing or unreadable. */
export function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Writes a small JSON file (mode 0600) by rename, so a crash never leaves half a file. */
export function writeJsonFile(path: string, value: unknown): void {
  writeFileSync(`${path}.tmp`, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

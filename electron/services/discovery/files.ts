import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** The data dir's folder for the embedded discovery: state snapshots and serving locks, per cluster. */
export function discoveryDir(dataDir: string): string {
  return join(dataDir, 'discovery');
}

/** The snapshot the embedded server loads at start and writes periodically and on stop. */
export function stateFileOf(dataDir: string, cluster: string): string {
  return join(discoveryDir(dataDir), `${cluster}.state`);
}

/** Which process serves a cluster's embedded discovery from this data dir. */
export function lockFileOf(dataDir: string, cluster: string): string {
  return join(discoveryDir(dataDir), `${cluster}.lock`);
}

const FORMAT = 'spanwise-discovery-state';

/**
 * Counts the time this desktop was closed as no time for the members: rewrites the
 * snapshot header's `savedAt` to `now`, so the server restores each affiliate with
 * the TTL it had when saved. Without it, a desktop closed for more than 30 minutes
 * would start with an empty cluster, and each agent's next Watch snapshot would drop
 * its peers until they all published again. Members that really left expire within
 * the 30 minute TTL, as they would upstream. A file that is not a snapshot is left
 * alone (the server reports it and starts empty).
 */
export async function carryOverState(file: string, now: number): Promise<'carried' | 'none' | 'unrecognised'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw error;
  }
  const newline = text.indexOf('\n');
  let header: unknown;
  try {
    header = JSON.parse(newline < 0 ? text : text.slice(0, newline));
  } catch {
    return 'unrecognised';
  }
  const h = header as { format?: unknown; savedAt?: unknown };
  if (typeof header !== 'object' || header === null || h.format !== FORMAT || typeof h.savedAt !== 'number') return 'unrecognised';
  const temp = `${file}.tmp-${randomBytes(8).toString('hex')}`;
  const out = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    await out.writeFile(`${JSON.stringify({ ...h, savedAt: now })}${newline < 0 ? '\n' : text.slice(newline)}`);
    await out.sync();
  } finally {
    await out.close();
  }
  await rename(temp, file);
  return 'carried';
}

/** Removes a deleted cluster's snapshot and lock. */
export async function removeClusterFiles(dataDir: string, cluster: string): Promise<void> {
  await rm(stateFileOf(dataDir, cluster), { force: true });
  await rm(lockFileOf(dataDir, cluster), { force: true });
}

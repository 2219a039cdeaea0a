import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { AffiliateRecord } from './affiliate-record.js';
import type { Store } from './store.js';

/**
 * The state file (written here, read by state-loader.ts): JSON lines. A header, one
 * line per cluster with remaining TTLs in milliseconds relative to `savedAt`, and
 * an end line with the cluster count so a truncated file is recognised. Written to a new temp file with an unguessable
 * name (created exclusively, never through a link, mode 0600), fsynced, renamed.
 */
export const FORMAT = 'spanwise-discovery-state';

export const headerSchema = z.object({ format: z.literal(FORMAT), version: z.literal(1), savedAt: z.number() });
export const clusterSchema = z.object({
  id: z.string(),
  affiliates: z.array(
    z.object({
      id: z.string(),
      data: z.string().optional(),
      dataTtlMs: z.number().optional(),
      endpoints: z.array(z.object({ blob: z.string(), ttlMs: z.number() })),
    }),
  ),
});
export const endSchema = z.object({ end: z.literal(true), clusters: z.number() });

function clusterLine(id: string, records: Iterable<AffiliateRecord>, now: number): string {
  const affiliates = [...records].map((r) => ({
    id: r.id,
    ...(r.data ? { data: r.data.toString('base64'), dataTtlMs: r.dataExpiresAt - now } : {}),
    endpoints: r
      .endpoints()
      .filter((e) => e.expiresAt > now)
      .map((e) => ({ blob: e.blob.toString('base64'), ttlMs: e.expiresAt - now })),
  }));
  return `${JSON.stringify({ id, affiliates })}\n`;
}

/** Writes the store to `path` atomically; yields to the event loop between chunks. */
export async function saveState(store: Store, path: string, now: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${randomBytes(8).toString('hex')}`;
  const file = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    await file.chmod(0o600);
    let chunk = `${JSON.stringify({ format: FORMAT, version: 1, savedAt: now })}\n`;
    let count = 0;
    for (const cluster of [...store.clusters.values()]) {
      if (cluster.affiliates.size === 0) continue;
      chunk += clusterLine(cluster.id, cluster.affiliates.values(), now);
      count += 1;
      if (chunk.length > 1 << 20) {
        await file.write(chunk);
        chunk = '';
      }
    }
    await file.write(`${chunk}${JSON.stringify({ end: true, clusters: count })}\n`);
    await file.sync();
  } catch (error) {
    await file.close();
    await unlink(temp).catch(() => {});
    throw error;
  }
  await file.close();
  await rename(temp, path);
  const dir = await open(dirname(path), 'r');
  await dir.sync().finally(() => dir.close());
}

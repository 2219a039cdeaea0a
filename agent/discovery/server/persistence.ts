import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { AffiliateRecord } from './affiliate-record.js';
import type { ClusterState } from './cluster-state.js';
import { checkId } from './limits.js';
import type { Store } from './store.js';

/**
 * The state file: JSON lines. A header, one line per cluster with remaining TTLs
 * in milliseconds relative to `savedAt`, and an end line with the cluster count
 * so a truncated file is recognised. Written to a new temp file with an unguessable
 * name (created exclusively, never through a link, mode 0600), fsynced, renamed.
 */
const FORMAT = 'spanwise-discovery-state';

const headerSchema = z.object({ format: z.literal(FORMAT), version: z.literal(1), savedAt: z.number() });
const clusterSchema = z.object({
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
const endSchema = z.object({ end: z.literal(true), clusters: z.number() });

function clusterLine(id: string, records: Iterable<AffiliateRecord>, now: number): string {
  const affiliates = [...records].map((r) => ({
    id: r.id,
    ...(r.data ? { data: r.data.toString('base64'), dataTtlMs: r.dataExpiresAt - now } : {}),
    endpoints: [...r.endpoints.values()].filter((e) => e.expiresAt > now).map((e) => ({ blob: e.blob.toString('base64'), ttlMs: e.expiresAt - now })),
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

/** What loading found. */
export interface LoadResult {
  clusters: number;
  affiliates: number;
}

/**
 * Reads a state file into an empty store. Throws with a clear message when the
 * file is corrupt or truncated (the caller reports it and starts empty); a missing
 * file loads nothing. Expired entries and entries over the limits are skipped.
 */
export async function loadState(store: Store, path: string, now: number): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { clusters: 0, affiliates: 0 };
    throw error;
  }
  const lines = text.split('\n').filter((l) => l !== '');
  const parse = <T>(schema: z.ZodType<T>, line: string | undefined, what: string): T => {
    try {
      return schema.parse(JSON.parse(line ?? ''));
    } catch {
      throw new Error(`state file ${path} is corrupt or truncated (bad ${what})`);
    }
  };
  const header = parse(headerSchema, lines[0], 'header');
  const end = parse(endSchema, lines[lines.length - 1], 'end marker');
  if (end.clusters !== lines.length - 2) throw new Error(`state file ${path} is truncated (${lines.length - 2} of ${end.clusters} clusters)`);
  const elapsed = Math.max(0, now - header.savedAt);
  const clusters = lines.slice(1, -1).map((l) => parse(clusterSchema, l, 'cluster line'));
  const result: LoadResult = { clusters: 0, affiliates: 0 };
  for (const c of clusters) {
    for (const a of c.affiliates) {
      if (restoreAffiliate(store, c.id, a, now, elapsed)) result.affiliates += 1;
    }
    if (store.clusters.has(c.id)) result.clusters += 1;
  }
  return result;
}

type StoredAffiliate = z.infer<typeof clusterSchema>['affiliates'][number];

function restoreAffiliate(store: Store, clusterId: string, a: StoredAffiliate, now: number, elapsed: number): boolean {
  const limits = store.limits;
  const remaining = (ms: number | undefined) => (ms === undefined ? 0 : Math.min(ms, limits.maxTtlMs) - elapsed);
  try {
    checkId(limits, 'cluster_id', clusterId);
    checkId(limits, 'affiliate_id', a.id);
  } catch {
    return false;
  }
  const record = new AffiliateRecord(a.id);
  const dataTtl = remaining(a.dataTtlMs);
  if (a.data !== undefined && dataTtl > 0) record.apply(Buffer.from(a.data, 'base64'), [], now + dataTtl);
  for (const e of a.endpoints) {
    const ttl = remaining(e.ttlMs);
    if (ttl > 0) record.apply(undefined, [Buffer.from(e.blob, 'base64')], now + ttl);
  }
  const blobs = [...record.endpoints.values()].map((e) => e.blob);
  if (record.isEmpty() || blobs.length > limits.maxEndpointsPerAffiliate) return false;
  if ((record.data?.length ?? 0) > limits.maxDataBytes || blobs.some((b) => b.length > limits.maxEndpointBytes)) return false;
  const cluster = store.cluster(clusterId, true) as ClusterState;
  if (cluster.affiliates.size >= limits.maxAffiliatesPerCluster) return false;
  cluster.affiliates.set(a.id, record);
  return true;
}

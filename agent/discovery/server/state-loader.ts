import { open, type FileHandle } from 'node:fs/promises';
import type { z } from 'zod';
import { AffiliateRecord } from './affiliate-record.js';
import { readLines } from './line-reader.js';
import { checkId, type Limits } from './limits.js';
import { clusterSchema, endSchema, headerSchema } from './persistence.js';
import type { Store } from './store.js';

/** How much of a state file is read: the whole file and any one line (a cluster). */
export interface LoadCaps {
  maxFileBytes: number;
  maxLineBytes: number;
}

/** What loading found: what was restored, and what was left out and why. */
export interface LoadResult {
  clusters: number;
  affiliates: number;
  /** Affiliates whose TTLs ran out while the server was down (normal). */
  expired: number;
  skipped: {
    /** Affiliates over the cluster, affiliate or per-cluster counts. */
    overLimits: number;
    /** Affiliates refused because the memory guard was over its limit. */
    memory: number;
    /** Affiliates with ids, sizes or counts a live update could not have. */
    invalid: number;
    /** Cluster lines over the line cap, skipped unread. */
    longLines: number;
  };
}

/** The longest lines and file a server with these limits can write, with room for JSON escapes. */
export function defaultLoadCaps(limits: Limits): LoadCaps {
  const b64 = (n: number) => Math.ceil(n / 3) * 4;
  const idBytes = 6 * limits.maxIdBytes + 64;
  const affiliate = idBytes + b64(limits.maxDataBytes) + limits.maxEndpointsPerAffiliate * (b64(limits.maxEndpointBytes) + 48) + 96;
  return {
    maxLineBytes: idBytes + limits.maxAffiliatesPerCluster * affiliate,
    maxFileBytes: 4096 + limits.maxClusters * idBytes + limits.maxAffiliates * affiliate,
  };
}

type StoredCluster = z.infer<typeof clusterSchema>;
type StoredAffiliate = StoredCluster['affiliates'][number];

/** A record as a live update would have left it, or why it cannot be one. */
function toRecord(limits: Limits, a: StoredAffiliate, now: number, elapsed: number): AffiliateRecord | 'expired' | 'invalid' {
  const remaining = (ms: number | undefined) => (ms === undefined ? 0 : Math.min(ms, limits.maxTtlMs) - elapsed);
  const record = new AffiliateRecord(a.id);
  const dataTtl = remaining(a.dataTtlMs);
  if (a.data !== undefined && dataTtl > 0) record.apply(Buffer.from(a.data, 'base64'), [], now + dataTtl);
  for (const e of a.endpoints.slice(0, limits.maxEndpointsPerAffiliate + 1)) {
    const ttl = remaining(e.ttlMs);
    if (ttl > 0) record.apply(undefined, [Buffer.from(e.blob, 'base64')], now + ttl);
  }
  if (record.isEmpty()) return 'expired';
  const blobs = record.endpoints().map((e) => e.blob);
  if (blobs.length > limits.maxEndpointsPerAffiliate || (record.data?.length ?? 0) > limits.maxDataBytes) return 'invalid';
  return blobs.some((b) => b.length === 0 || b.length > limits.maxEndpointBytes) ? 'invalid' : record;
}

function restoreCluster(store: Store, cluster: StoredCluster, now: number, elapsed: number, result: LoadResult): void {
  const validId = (id: string) => {
    try {
      checkId(store.limits, 'id', id);
      return true;
    } catch {
      return false;
    }
  };
  for (const a of cluster.affiliates) {
    const record = validId(cluster.id) && validId(a.id) ? toRecord(store.limits, a, now, elapsed) : 'invalid';
    if (record === 'expired') result.expired += 1;
    else if (record === 'invalid') result.skipped.invalid += 1;
    else {
      const outcome = store.restore(cluster.id, record);
      if (outcome === 'ok') result.affiliates += 1;
      else if (outcome === 'memory') result.skipped.memory += 1;
      else result.skipped.overLimits += 1;
    }
  }
  if (store.clusters.has(cluster.id)) result.clusters += 1;
}

async function openIfPresent(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Streams a state file into an empty store, one cluster line at a time, never
 * holding more than one line under `caps.maxLineBytes`; a file over
 * `caps.maxFileBytes` is refused unread. Throws with a clear message when the file
 * is corrupt or truncated (the caller reports it and starts empty); a missing file
 * loads nothing. Entries over the store's limits are left out and counted.
 */
export async function loadState(store: Store, path: string, now: number, caps: LoadCaps): Promise<LoadResult> {
  const result: LoadResult = { clusters: 0, affiliates: 0, expired: 0, skipped: { overLimits: 0, memory: 0, invalid: 0, longLines: 0 } };
  const file = await openIfPresent(path);
  if (!file) return result;
  const corrupt = (what: string) => new Error(`state file ${path} is corrupt or truncated (${what})`);
  const parse = <T>(schema: z.ZodType<T>, value: unknown, what: string): T => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw corrupt(`bad ${what}`);
    return parsed.data;
  };
  try {
    const { size } = await file.stat();
    if (size > caps.maxFileBytes)
      throw new Error(`state file ${path} is ${size} bytes, over the ${caps.maxFileBytes}-byte cap for these limits; not reading it`);
    let header: z.infer<typeof headerSchema> | undefined;
    let end: z.infer<typeof endSchema> | undefined;
    let clusterLines = 0;
    let read = 0;
    for await (const line of readLines(file, caps.maxLineBytes)) {
      read += line.bytes + 1;
      if (read > caps.maxFileBytes) throw new Error(`state file ${path} grew past the ${caps.maxFileBytes}-byte cap while being read`);
      if (end) throw corrupt('data after the end marker');
      let value: unknown;
      try {
        value = line.text === undefined ? undefined : JSON.parse(line.text);
      } catch {
        throw corrupt(header ? 'bad cluster line' : 'bad header');
      }
      if (!header) header = parse(headerSchema, value, 'header');
      else if (typeof value === 'object' && value !== null && 'end' in value) end = parse(endSchema, value, 'end marker');
      else {
        clusterLines += 1;
        if (line.text === undefined) result.skipped.longLines += 1;
        else restoreCluster(store, parse(clusterSchema, value, 'cluster line'), now, Math.max(0, now - header.savedAt), result);
      }
    }
    if (!header) throw corrupt('bad header');
    if (!end) throw corrupt('bad end marker');
    if (end.clusters !== clusterLines) throw new Error(`state file ${path} is truncated (${clusterLines} of ${end.clusters} clusters)`);
  } finally {
    await file.close();
  }
  return result;
}

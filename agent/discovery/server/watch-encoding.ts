import { Affiliate } from '../../../proto/gen/sidero/discovery/server/cluster.js';

/**
 * WatchResponse messages are assembled from pre-encoded `affiliates` entries so an
 * affiliate is serialized once per change, not once per watcher.
 */

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** Field 1 (affiliates), length-delimited, around an encoded Affiliate. */
export function encodeEntry(affiliate: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([0x0a, ...varint(affiliate.length)]), affiliate]);
}

/** An entry carrying only the id, for `deleted` messages. */
export function deletedEntry(id: string): Buffer {
  return encodeEntry(Affiliate.encode({ id, data: Buffer.alloc(0), endpoints: [] }).finish());
}

const DELETED_FLAG = Buffer.from([0x10, 0x01]);

/** Packs entries into WatchResponse messages of at most `maxBytes` (a single larger entry goes alone). */
export function packMessages(entries: Buffer[], deleted: boolean, maxBytes: number): Buffer[] {
  const messages: Buffer[] = [];
  let batch: Buffer[] = [];
  let size = 0;
  const close = () => {
    if (deleted) batch.push(DELETED_FLAG);
    messages.push(Buffer.concat(batch));
    batch = [];
    size = 0;
  };
  for (const entry of entries) {
    if (size > 0 && size + entry.length > maxBytes) close();
    batch.push(entry);
    size += entry.length;
  }
  if (size > 0) close();
  return messages;
}

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

/** Bytes of the gRPC frame header (compressed flag, length) before each message. */
export const FRAME_HEADER_BYTES = 5;

/**
 * One WatchResponse from pre-encoded entries (all upserts, or all `deleted`),
 * framed for gRPC so the same bytes can be written to every stream as they are.
 */
export function packMessage(entries: Buffer[], deleted: boolean): Buffer {
  const parts = deleted ? [...entries, DELETED_FLAG] : entries;
  let length = 0;
  for (const part of parts) length += part.length;
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header.writeUInt32BE(length, 1);
  return Buffer.concat([header, ...parts], FRAME_HEADER_BYTES + length);
}

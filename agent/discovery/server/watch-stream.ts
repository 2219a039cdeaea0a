import { constants as h2, type Http2Stream } from 'node:http2';
import { Metadata, status, type ServerWritableStream } from '@grpc/grpc-js';
import type { WatchRequest } from '../../../proto/gen/sidero/discovery/server/cluster.js';
import { FRAME_HEADER_BYTES } from './watch-encoding.js';
import type { WatchSink } from './watcher.js';

function isHttp2Stream(value: unknown): value is Http2Stream {
  return typeof value === 'object' && value !== null && 'rstCode' in value && typeof (value as Http2Stream).close === 'function';
}

/**
 * The HTTP/2 stream under a grpc-js server call. grpc-js copies every message into
 * a frame of its own and has no way to reset a stream, so Watch writes its shared,
 * already framed messages straight onto the stream (the same bytes for every
 * watcher, no copy), and resets a stalled one there. Undefined when this grpc-js
 * keeps the stream elsewhere; the sink then falls back to grpc-js's own calls.
 */
export function http2StreamOf(call: object): Http2Stream | undefined {
  let node: unknown = (call as { call?: unknown }).call;
  for (let depth = 0; depth < 8 && typeof node === 'object' && node !== null; depth += 1) {
    const stream = (node as { stream?: unknown }).stream;
    if (isHttp2Stream(stream)) return stream;
    node = (node as { nextCall?: unknown }).nextCall;
  }
  return undefined;
}

/**
 * A Watch call as a WatchSink. Messages arrive framed. `abort` ends the call with
 * ABORTED once the data ahead drains, and resets it after `graceMs` if that never
 * happens; `cutOff` resets it at once with ENHANCE_YOUR_CALM, which gRPC clients
 * report as RESOURCE_EXHAUSTED.
 */
export function grpcWatchSink(call: ServerWritableStream<WatchRequest, Buffer>, graceMs: number): WatchSink {
  const stream = http2StreamOf(call);
  stream?.on('error', () => {});
  let ended = false;
  let headersSent = false;
  const end = () => (ended = true);
  call.once('cancelled', end);
  call.once('close', end);
  call.once('finish', end);
  const open = () => stream !== undefined && !stream.closed && !stream.destroyed;
  const reset = () => {
    if (open()) stream?.close(h2.NGHTTP2_ENHANCE_YOUR_CALM);
  };
  return {
    write: (framed, done) => {
      if (ended) return;
      if (!stream) {
        call.write(framed.subarray(FRAME_HEADER_BYTES), () => done());
        return;
      }
      if (!open()) return;
      if (!headersSent) {
        call.sendMetadata(new Metadata());
        headersSent = true;
      }
      stream.write(framed, () => done());
    },
    abort: (details) => {
      if (ended) return;
      call.emit('error', { code: status.ABORTED, details });
      setTimeout(reset, graceMs).unref();
    },
    cutOff: (details) => {
      if (ended) return;
      if (stream) reset();
      else call.emit('error', { code: status.RESOURCE_EXHAUSTED, details });
      ended = true;
    },
  };
}

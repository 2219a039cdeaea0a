import { EventEmitter } from 'node:events';
import { status, type ServerWritableStream } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import type { WatchRequest } from '../../../proto/gen/sidero/discovery/server/cluster.js';
import { packMessage } from './watch-encoding.js';
import { grpcWatchSink, http2StreamOf } from './watch-stream.js';

/** A call whose HTTP/2 stream this code cannot reach, as a future grpc-js might hide it. */
class OpaqueCall extends EventEmitter {
  readonly written: Buffer[] = [];
  readonly errors: { code: number }[] = [];

  constructor() {
    super();
    this.on('error', (e: { code: number }) => this.errors.push(e));
  }

  write(message: Buffer, done: () => void): void {
    this.written.push(message);
    done();
  }
}

describe('Watch sink without access to the HTTP/2 stream', () => {
  it('falls back to grpc-js writes (unframed) and to a status for aborts and cut-offs', () => {
    const call = new OpaqueCall();
    const opaque = call as unknown as ServerWritableStream<WatchRequest, Buffer>;
    expect(http2StreamOf(opaque)).toBeUndefined();
    const sink = grpcWatchSink(opaque, 1000);
    const framed = packMessage([Buffer.from([0x0a, 0x02, 0x0a, 0x00])], false);
    let done = 0;
    sink.write(framed, () => (done += 1));
    expect(call.written).toEqual([framed.subarray(5)]);
    expect(done).toBe(1);
    sink.cutOff('stalled');
    expect(call.errors.map((e) => e.code)).toEqual([status.RESOURCE_EXHAUSTED]);
    const other = new OpaqueCall();
    grpcWatchSink(other as unknown as ServerWritableStream<WatchRequest, Buffer>, 1000).abort('behind');
    expect(other.errors.map((e) => e.code)).toEqual([status.ABORTED]);
  });
});

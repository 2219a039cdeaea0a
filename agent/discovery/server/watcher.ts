/** Where one watcher's messages go: the gRPC stream, or a fake in tests. */
export interface WatchSink {
  /** Writes one encoded WatchResponse; `done` runs once the transport has taken it. */
  write(message: Buffer, done: () => void): void;
  /** Ends the stream with ABORTED (the client reconnects and gets a fresh snapshot). */
  abort(reason: string): void;
}

/**
 * One Watch stream. At most one batch of messages is in flight; changes that
 * arrive meanwhile wait in the cluster's change log and are sent coalesced
 * (latest state per affiliate) once the transport has taken the batch.
 */
export class Watcher {
  /** Changes before this sequence number have been sent. */
  cursor: number;
  /** Messages handed to the transport and not yet taken. */
  inflight = 0;
  closed = false;

  constructor(
    readonly sink: WatchSink,
    cursor: number,
  ) {
    this.cursor = cursor;
  }
}

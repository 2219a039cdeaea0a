import type { WatchBatch } from './watch-batch.js';

/** Where one watcher's messages go: the gRPC stream, or a fake in tests. */
export interface WatchSink {
  /** Writes one encoded WatchResponse; `done` runs once the transport has taken it. */
  write(message: Buffer, done: () => void): void;
  /** Ends the stream with ABORTED (the client reconnects and gets a fresh snapshot). */
  abort(reason: string): void;
  /**
   * Resets a stream whose reader stopped draining (the client sees RESOURCE_EXHAUSTED),
   * releasing what was queued for it: a status could not get past the unread data.
   */
  cutOff(reason: string): void;
}

/**
 * One Watch stream. It sends from one batch at a time, one message at a time:
 * changes that arrive meanwhile wait in the cluster's change log as ids and are
 * sent coalesced (latest state per affiliate) once the batch is done. So the
 * most a watcher ever holds is a reference to the one message the transport has
 * not taken.
 */
export class Watcher {
  /** Changes before this sequence number are sent or in the current batch. */
  cursor: number;
  /** The batch being sent, and where in it; undefined when idle. */
  batch: WatchBatch | undefined;
  offset = 0;
  /** The batch a flush held for this watcher while it was still sending, and the cursor it brings it to. */
  next: { batch: WatchBatch; head: number } | undefined;
  /** The message handed to the transport and not yet taken (one at most, often shared with other watchers). */
  inFlight: Buffer | undefined;
  /** When `inFlight` was handed over (clock ms). */
  queuedSince = 0;
  closed = false;

  constructor(
    readonly sink: WatchSink,
    cursor: number,
  ) {
    this.cursor = cursor;
  }

  get busy(): boolean {
    return this.inFlight !== undefined;
  }
}

import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import type { Affiliate, WatchResponse } from '../../../proto/gen/sidero/discovery/server/cluster.js';

/** Callbacks of a watch; `snapshot` replaces everything the caller knew. */
export interface WatchHandler {
  /** The full state, first after every (re)connect. */
  snapshot(affiliates: Affiliate[]): void;
  /** One affiliate created or changed (the full affiliate). */
  upsert(affiliate: Affiliate): void;
  /** One affiliate gone. */
  delete(id: string): void;
  /** The stream ended; a reconnect follows after `retryInMs` unless closed. */
  disconnected?(error: Error, retryInMs: number): void;
}

/** Reconnect backoff; doubles from `initialBackoffMs` up to `maxBackoffMs`, reset by each snapshot. */
export interface WatchSessionOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

/** A Watch that reconnects until closed, keeping the latest known state. */
export class WatchSession {
  /** The affiliates as last seen, by id. */
  readonly state = new Map<string, Affiliate>();
  private stream: ClientReadableStream<WatchResponse> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private backoff: number;
  private closed = false;

  constructor(
    private readonly open: () => ClientReadableStream<WatchResponse>,
    private readonly handler: WatchHandler,
    private readonly options: WatchSessionOptions = {},
  ) {
    this.backoff = options.initialBackoffMs ?? 500;
    this.connect();
  }

  private connect(): void {
    let first = true;
    const stream = this.open();
    this.stream = stream;
    stream.on('data', (response: WatchResponse) => {
      if (first) {
        first = false;
        this.backoff = this.options.initialBackoffMs ?? 500;
        this.state.clear();
        for (const a of response.affiliates) this.state.set(a.id, a);
        this.handler.snapshot(response.affiliates);
      } else if (response.deleted) {
        for (const a of response.affiliates) {
          this.state.delete(a.id);
          this.handler.delete(a.id);
        }
      } else {
        for (const a of response.affiliates) {
          this.state.set(a.id, a);
          this.handler.upsert(a);
        }
      }
    });
    let ended = false;
    const end = (error: Error) => {
      if (ended || this.closed) return;
      ended = true;
      const wait = this.backoff;
      this.backoff = Math.min(this.backoff * 2, this.options.maxBackoffMs ?? 30_000);
      this.handler.disconnected?.(error, wait);
      this.timer = setTimeout(() => this.connect(), wait);
    };
    stream.on('error', (error: ServiceError) => end(error));
    stream.on('end', () => end(new Error('watch stream ended')));
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.stream?.cancel();
  }
}

import { randomBytes } from 'node:crypto';
import { connect as h2connect, constants as h2 } from 'node:http2';
import { connect as netConnect } from 'node:net';
import { credentials, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { ClusterClient, WatchRequest, type AffiliateUpdateRequest, type WatchResponse } from '../../proto/gen/sidero/discovery/server/cluster.js';
import { DiscoveryClient } from '../../agent/discovery/client/index.js';
import { ManualClock, silentLogger, startDiscoveryServer, type DiscoveryServer, type DiscoveryServerOptions } from '../../agent/discovery/server/index.js';

/** A server on 127.0.0.1 with a manual clock, no rate limit unless asked, silent logs. */
export async function startTestServer(options: Partial<DiscoveryServerOptions> = {}): Promise<{ server: DiscoveryServer; clock: ManualClock }> {
  const clock = (options.clock as ManualClock | undefined) ?? new ManualClock(1_700_000_000_000);
  const server = await startDiscoveryServer({ listen: '127.0.0.1:0', rateLimit: false, logger: silentLogger, ...options, clock });
  return { server, clock };
}

export function rawClient(server: DiscoveryServer): ClusterClient {
  return new ClusterClient(server.address, credentials.createInsecure());
}

export function typedClient(server: DiscoveryServer): DiscoveryClient {
  return new DiscoveryClient({ endpoint: server.address, insecure: true });
}

export const ttl = (seconds: number) => ({ seconds, nanos: 0 });

/** Runs a unary call and resolves with its gRPC status code (0 = OK). */
export function codeOf(invoke: (cb: (error: ServiceError | null) => void) => unknown): Promise<number> {
  return new Promise((resolve) => invoke((error) => resolve(error ? error.code : 0)));
}

/** Collects Watch messages; `next()` waits for the next one, `ended` resolves with the final status. */
export class WatchCollector {
  readonly messages: WatchResponse[] = [];
  private waiters: (() => void)[] = [];
  private read = 0;
  readonly ended: Promise<number>;

  constructor(readonly stream: ClientReadableStream<WatchResponse>) {
    stream.on('data', (m: WatchResponse) => {
      this.messages.push(m);
      for (const w of this.waiters.splice(0)) w();
    });
    this.ended = new Promise((resolve) => {
      stream.on('error', (e: ServiceError) => resolve(e.code));
      stream.on('end', () => resolve(0));
    });
  }

  async next(): Promise<WatchResponse> {
    while (this.messages.length <= this.read) await new Promise<void>((r) => this.waiters.push(r));
    return this.messages[this.read++] as WatchResponse;
  }

  /** Waits until `predicate` holds for some unread-or-read message, consuming up to it. */
  async until(predicate: (m: WatchResponse) => boolean): Promise<WatchResponse> {
    for (;;) {
      const m = await this.next();
      if (predicate(m)) return m;
    }
  }

  close(): void {
    this.stream.cancel();
  }
}

function frame(message: Uint8Array): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

/** One unary gRPC call over raw HTTP/2 from a chosen local address (grpc-js cannot bind one). */
export function rawUnary(
  port: number,
  localAddress: string,
  path: string,
  request: Uint8Array,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const session = h2connect(`http://127.0.0.1:${port}`, { createConnection: () => netConnect({ host: '127.0.0.1', port, localAddress }) });
    session.on('error', reject);
    const req = session.request({
      [h2.HTTP2_HEADER_METHOD]: 'POST',
      [h2.HTTP2_HEADER_PATH]: path,
      'content-type': 'application/grpc',
      te: 'trailers',
      ...headers,
    });
    const chunks: Buffer[] = [];
    let status = -1;
    req.on('response', (h) => {
      if (h['grpc-status'] !== undefined) status = Number(h['grpc-status']);
    });
    req.on('trailers', (t) => (status = Number(t['grpc-status'])));
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      session.close();
      const all = Buffer.concat(chunks);
      resolve({ status, body: all.length >= 5 ? all.subarray(5) : Buffer.alloc(0) });
    });
    req.on('error', reject);
    req.end(frame(request));
  });
}

/** A Watch stream over raw HTTP/2 that never reads: `closed` resolves with the RST code the server ended it with (0 for a normal end). */
export function idleWatch(port: number, clusterId: string): { headers: Promise<void>; closed: Promise<number>; destroy: () => void } {
  const session = h2connect(`http://127.0.0.1:${port}`);
  session.on('error', () => {});
  const req = session.request({
    [h2.HTTP2_HEADER_METHOD]: 'POST',
    [h2.HTTP2_HEADER_PATH]: '/sidero.discovery.server.Cluster/Watch',
    'content-type': 'application/grpc',
    te: 'trailers',
  });
  req.on('error', () => {});
  req.pause();
  req.end(frame(WatchRequest.encode({ clusterId }).finish()));
  const headers = new Promise<void>((resolve) => req.once('response', () => resolve()));
  const closed = new Promise<number>((resolve) => req.once('close', () => resolve(req.rstCode ?? 0)));
  return { headers, closed, destroy: () => session.destroy() };
}

/** An AffiliateUpdate at the wire's limits: 2048-byte data and 64 endpoints of 32 bytes, all random. */
export function largestUpdate(clusterId: string, affiliateId: string): AffiliateUpdateRequest {
  return { clusterId, affiliateId, affiliateData: randomBytes(2048), affiliateEndpoints: Array.from({ length: 64 }, () => randomBytes(32)), ttl: ttl(1800) };
}

/** Waits (polling, no deadline of its own) until `check` holds. */
export async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}

import { credentials as grpcCredentials, Metadata, status, type ChannelCredentials, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import {
  ClusterClient,
  type Affiliate,
  type HelloResponse,
  type ListResponse,
  type WatchResponse,
} from '../../../proto/gen/sidero/discovery/server/cluster.js';
import { formatIp, ipFromBytes } from '../../shared/ip.js';
import { SpanwiseError } from '../../shared/errors.js';
import { VERSION } from '../../shared/version.js';
import { WatchSession, type WatchHandler, type WatchSessionOptions } from './watch-session.js';

/** How to reach a discovery service. */
export interface DiscoveryClientOptions {
  /** "host:port" of the service. */
  endpoint: string;
  /** Plaintext HTTP/2 (h2c) instead of TLS. */
  insecure?: boolean;
  /** PEM CA certificates to trust for TLS (default: the system roots). */
  ca?: Buffer;
  /** Deadline per unary call; default 10 s. */
  timeoutMs?: number;
}

/** One AffiliateUpdate: data (encrypted) replaces, endpoints (encrypted) merge. */
export interface AffiliateUpdate {
  clusterId: string;
  affiliateId: string;
  data?: Buffer;
  endpoints?: Buffer[];
  /** Time to live; the server allows up to 30 min. */
  ttlMs: number;
}

/** What Hello told us. */
export interface HelloResult {
  /** Our address as the service sees it (text), when it said. */
  clientIp: string | undefined;
  /** Where the service asks clients to go instead, when it does. */
  redirect: string | undefined;
}

/** A discovery call that failed, with the gRPC code kept for callers that retry. */
export class DiscoveryCallError extends SpanwiseError {
  constructor(
    readonly grpcCode: number,
    method: string,
    details: string,
  ) {
    super(
      `DISCOVERY_${status[grpcCode] ?? 'ERROR'}`,
      `discovery ${method}: ${details}`,
      grpcCode === status.UNAVAILABLE ? 'check the endpoint, the port and whether TLS (or --insecure) matches the server' : undefined,
    );
  }
}

function wrap(method: string, error: ServiceError): DiscoveryCallError {
  return new DiscoveryCallError(error.code, method, error.details || error.message);
}

/** A typed client for `sidero.discovery.server.Cluster` (Promise-based unary calls, reconnecting watch). */
export class DiscoveryClient {
  private readonly client: ClusterClient;
  private readonly timeoutMs: number;

  constructor(options: DiscoveryClientOptions) {
    const creds: ChannelCredentials = options.insecure ? grpcCredentials.createInsecure() : grpcCredentials.createSsl(options.ca ?? null);
    this.client = new ClusterClient(options.endpoint, creds, { 'grpc.max_receive_message_length': 16 << 20 });
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  private call<Res>(method: string, invoke: (meta: Metadata, opts: { deadline: Date }, cb: (e: ServiceError | null, r: Res) => void) => void): Promise<Res> {
    return new Promise((resolve, reject) => {
      invoke(new Metadata(), { deadline: new Date(Date.now() + this.timeoutMs) }, (error, response) =>
        error ? reject(wrap(method, error)) : resolve(response),
      );
    });
  }

  async hello(clusterId: string): Promise<HelloResult> {
    const r = await this.call<HelloResponse>('Hello', (m, o, cb) => this.client.hello({ clusterId, clientVersion: `spanwise ${VERSION}` }, m, o, cb));
    const addr = r.clientIp.length ? ipFromBytes(r.clientIp, true) : undefined;
    return { clientIp: addr && formatIp(addr), redirect: r.redirect?.endpoint || undefined };
  }

  async update(u: AffiliateUpdate): Promise<void> {
    const ttl = { seconds: Math.floor(u.ttlMs / 1000), nanos: (u.ttlMs % 1000) * 1e6 };
    const request = { clusterId: u.clusterId, affiliateId: u.affiliateId, affiliateData: u.data, affiliateEndpoints: u.endpoints ?? [], ttl };
    await this.call('AffiliateUpdate', (m, o, cb) => this.client.affiliateUpdate(request, m, o, cb));
  }

  async delete(clusterId: string, affiliateId: string): Promise<void> {
    await this.call('AffiliateDelete', (m, o, cb) => this.client.affiliateDelete({ clusterId, affiliateId }, m, o, cb));
  }

  async list(clusterId: string): Promise<Affiliate[]> {
    return (await this.call<ListResponse>('List', (m, o, cb) => this.client.list({ clusterId }, m, o, cb))).affiliates;
  }

  /** Opens one raw Watch stream (no reconnect); most callers want `watch`. */
  rawWatch(clusterId: string): ClientReadableStream<WatchResponse> {
    return this.client.watch({ clusterId });
  }

  /** Watches a cluster, reconnecting with backoff; each reconnect starts from a fresh snapshot. */
  watch(clusterId: string, handler: WatchHandler, options?: WatchSessionOptions): WatchSession {
    return new WatchSession(() => this.client.watch({ clusterId }), handler, options);
  }

  close(): void {
    this.client.close();
  }
}

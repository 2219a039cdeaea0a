import {
  status,
  type Metadata,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
  type ServiceError,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import {
  ClusterService,
  type AffiliateDeleteRequest,
  type AffiliateDeleteResponse,
  type AffiliateUpdateRequest,
  type AffiliateUpdateResponse,
  type HelloRequest,
  type HelloResponse,
  type ListRequest,
  type ListResponse,
  type WatchRequest,
} from '../../../proto/gen/sidero/discovery/server/cluster.js';
import type { IpAddr } from '../../shared/ip.js';
import { addressKey, clientAddress } from './client-address.js';
import { checkId, DiscoveryError } from './limits.js';
import type { Logger } from '../../shared/log.js';
import type { Metrics } from './metrics.js';
import type { RateLimiter } from './rate-limiter.js';
import type { Store } from './store.js';
import { grpcWatchSink } from './watch-stream.js';

/** The Cluster service definition, except that Watch responses are written pre-encoded. */
export const RawWatchClusterService = {
  ...ClusterService,
  watch: { ...ClusterService.watch, responseSerialize: (value: Buffer): Buffer => value },
} as const;

/** What the handlers need. */
export interface ServiceContext {
  store: Store;
  metrics: Metrics;
  logger: Logger;
  limiter: RateLimiter | undefined;
  trustProxy: boolean;
  redirect: string | undefined;
  /** How long an ABORTED Watch may take to drain before it is reset. */
  abortGraceMs: number;
}

const codeName = (code: number) => status[code] ?? String(code);

function toServiceError(error: unknown, ctx: ServiceContext, method: string): Partial<ServiceError> {
  if (error instanceof DiscoveryError) return { code: error.code, details: error.message };
  ctx.logger.error('discovery rpc failed', { method, error: error instanceof Error ? error.message : String(error) });
  return { code: status.INTERNAL, details: 'internal error' };
}

/** Resolves the caller's address and takes a token from its /64 (IPv6) or /32 (IPv4); throws RESOURCE_EXHAUSTED when over. */
function admit(ctx: ServiceContext, peer: string, metadata: Metadata): IpAddr | undefined {
  const addr = clientAddress(peer, metadata, ctx.trustProxy);
  if (ctx.limiter && !ctx.limiter.take(addressKey(addr))) {
    ctx.metrics.rateLimited += 1;
    throw new DiscoveryError(status.RESOURCE_EXHAUSTED, 'rate limit exceeded for this client network (IPv6 /64 or IPv4 address); slow down');
  }
  return addr;
}

function unary<Req, Res>(ctx: ServiceContext, method: string, handle: (request: Req, addr: IpAddr | undefined) => Res) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
    const started = performance.now();
    let code: number = status.OK;
    try {
      const response = handle(call.request, admit(ctx, call.getPeer(), call.metadata));
      callback(null, response);
    } catch (error) {
      const serviceError = toServiceError(error, ctx, method);
      code = serviceError.code ?? status.UNKNOWN;
      callback(serviceError);
    }
    ctx.metrics.rpc(method, codeName(code), (performance.now() - started) / 1000);
  };
}

function watch(ctx: ServiceContext) {
  return (call: ServerWritableStream<WatchRequest, Buffer>): void => {
    const started = performance.now();
    let code: number = status.OK;
    try {
      admit(ctx, call.getPeer(), call.metadata);
      const stop = ctx.store.watch(call.request.clusterId, grpcWatchSink(call, ctx.abortGraceMs));
      call.once('cancelled', stop);
      call.once('close', stop);
      call.once('finish', stop);
    } catch (error) {
      const serviceError = toServiceError(error, ctx, 'Watch');
      code = serviceError.code ?? status.UNKNOWN;
      call.emit('error', serviceError);
    }
    ctx.metrics.rpc('Watch', codeName(code), (performance.now() - started) / 1000);
  };
}

/** The handlers of `sidero.discovery.server.Cluster`. */
export function clusterHandlers(ctx: ServiceContext): UntypedServiceImplementation {
  return {
    hello: unary<HelloRequest, HelloResponse>(ctx, 'Hello', (request, addr) => {
      checkId(ctx.store.limits, 'cluster_id', request.clusterId);
      return { redirect: ctx.redirect ? { endpoint: ctx.redirect } : undefined, clientIp: addr ? Buffer.from(addr.bytes) : Buffer.alloc(0) };
    }),
    affiliateUpdate: unary<AffiliateUpdateRequest, AffiliateUpdateResponse>(ctx, 'AffiliateUpdate', (request) => {
      ctx.store.update(request);
      return {};
    }),
    affiliateDelete: unary<AffiliateDeleteRequest, AffiliateDeleteResponse>(ctx, 'AffiliateDelete', (request) => {
      ctx.store.delete(request.clusterId, request.affiliateId);
      return {};
    }),
    list: unary<ListRequest, ListResponse>(ctx, 'List', (request) => ({ affiliates: ctx.store.list(request.clusterId) })),
    watch: watch(ctx),
  };
}

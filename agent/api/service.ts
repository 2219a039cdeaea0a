import { status, type sendUnaryData, type ServerUnaryCall, type ServerWritableStream } from '@grpc/grpc-js';
import { arch, hostname, platform, release } from 'node:os';
import {
  ProbeProtocol,
  WatchEventType,
  type AgentServiceServer,
  type GetHostFactsResponse,
  type ProbeRequest,
  type WatchResourcesRequest,
  type WatchResourcesResponse,
} from '../../proto/gen/spanwise/agent/v1/agent.js';
import { VERSION } from '../shared/version.js';
import { HostNetworkKind } from '../resources/kinds.js';
import type { ResourceStore } from '../resources/store.js';
import { kindNamesOf, toApiResource } from './resources.js';
import { openResponder, probeTcp, probeUdp } from './probe.js';
import { ProbeGuard, type ProbeLimits } from './probe-guard.js';

type Reply<T> = sendUnaryData<T>;

class InvalidArgument extends Error {
  readonly code = status.INVALID_ARGUMENT;
}

function invalid(message: string): InvalidArgument {
  return new InvalidArgument(message);
}

function guard<Req, Res>(handler: (request: Req) => Promise<Res> | Res) {
  return (call: ServerUnaryCall<Req, Res>, callback: Reply<Res>) => {
    Promise.resolve()
      .then(() => handler(call.request))
      .then((response) => callback(null, response))
      .catch((error: Error & { code?: number }) =>
        callback(typeof error.code === 'number' ? { code: error.code, details: error.message } : invalid(error.message)),
      );
  };
}

function validateProbeTarget(request: ProbeRequest): void {
  if (!/^[A-Za-z0-9.:_-]{1,253}$/.test(request.host)) throw invalid('host: must be an IP address or host name');
  if (request.port < 1 || request.port > 65535) throw invalid('port: must be 1..65535');
  if (request.timeoutMs > 30_000) throw invalid('timeout_ms: at most 30000');
  if (request.sourcePort > 65535) throw invalid('source_port: must be 0..65535');
}

/** Host facts the agent reports; `backend` and `started` come from the running agent. */
export interface ServiceContext {
  store: ResourceStore;
  backend: string;
  started: Date;
  /** Probe rate, concurrency and target rules, responder ports (probe-guard.ts); the defaults unless a test sets them. */
  probeLimits?: Partial<ProbeLimits>;
}

/** The AgentService implementation over the resource store. Internal kinds and secrets are never served. */
export function agentService(ctx: ServiceContext): AgentServiceServer {
  const probes = new ProbeGuard(ctx.probeLimits);
  return {
    getHostFacts: guard((): GetHostFactsResponse => ({
      agentVersion: VERSION,
      hostname: hostname(),
      os: platform(),
      kernel: release(),
      arch: arch(),
      wireguardBackend: ctx.backend,
      now: new Date(),
      started: ctx.started,
      addresses: ctx.store.get(HostNetworkKind, 'host')?.spec.links.flatMap((l) => l.addresses) ?? [],
    })),
    listResources: guard((request) => {
      const names = kindNamesOf(request.types);
      const resources = names
        .flatMap((name) => ctx.store.list({ name }))
        .map((r) => toApiResource(r))
        .filter((r) => r !== undefined);
      return { resources };
    }),
    watchResources(call: ServerWritableStream<WatchResourcesRequest, WatchResourcesResponse>) {
      let names: string[];
      try {
        names = kindNamesOf(call.request.types);
      } catch (error) {
        call.emit('error', { code: status.INVALID_ARGUMENT, details: (error as Error).message });
        return;
      }
      const unsubscribe = ctx.store.watch(names, (event) => {
        if (event.type === 'snapshot') {
          call.write({
            type: WatchEventType.WATCH_EVENT_TYPE_SNAPSHOT,
            resources: event.resources.map((r) => toApiResource(r)).filter((r) => r !== undefined),
          });
          return;
        }
        const resource = toApiResource(event.resource, event.type === 'deleted');
        if (!resource) return;
        call.write({
          type: event.type === 'deleted' ? WatchEventType.WATCH_EVENT_TYPE_DELETED : WatchEventType.WATCH_EVENT_TYPE_UPSERTED,
          resources: [resource],
        });
      });
      call.on('cancelled', unsubscribe);
      call.on('close', unsubscribe);
      call.on('error', unsubscribe);
    },
    probe: guard(async (request) => {
      probes.admit();
      validateProbeTarget(request);
      const timeout = request.timeoutMs || 3000;
      const tcp = request.protocol === ProbeProtocol.PROBE_PROTOCOL_TCP;
      if (!tcp && request.protocol !== ProbeProtocol.PROBE_PROTOCOL_UDP) throw invalid('protocol: must be TCP or UDP');
      const target = await probes.target(request.host, request.sourcePort);
      if ('unresolved' in target) return { reachable: false, rttMs: 0, error: target.unresolved, observedSource: '' };
      return probes.run(() => (tcp ? probeTcp(target.ip, request.port, timeout) : probeUdp(target.ip, request.port, timeout, request.sourcePort)));
    }),
    openResponder: guard(async (request) => {
      if (request.port < 1 || request.port > 65535) throw invalid('port: must be 1..65535');
      const protocol =
        request.protocol === ProbeProtocol.PROBE_PROTOCOL_TCP ? 'tcp' : request.protocol === ProbeProtocol.PROBE_PROTOCOL_UDP ? 'udp' : undefined;
      if (!protocol) throw invalid('protocol: must be TCP or UDP');
      probes.checkResponder(protocol, request.port, request.durationMs);
      return openResponder(protocol, request.port, request.durationMs);
    }),
  };
}

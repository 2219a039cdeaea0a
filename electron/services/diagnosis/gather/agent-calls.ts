import { Metadata } from '@grpc/grpc-js';
import { connect } from 'node:net';
import { ProbeProtocol, type AgentServiceClient, type ProbeResponse } from '../../../../proto/gen/spanwise/agent/v1/agent.js';
import { agentPlace } from '../../../../agent/api/client.js';
import { agentCallError } from '../../../../agent/api/rpc-error.js';
import { isEndpoint } from '../../remote-fields.js';

/** Probe RPC as a promise; a failed call reads as unreachable with the gRPC error. */
export function probe(
  client: AgentServiceClient,
  protocol: 'tcp' | 'udp',
  host: string,
  port: number,
  timeoutMs: number,
  sourcePort = 0,
): Promise<ProbeResponse> {
  const request = { protocol: protocol === 'tcp' ? ProbeProtocol.PROBE_PROTOCOL_TCP : ProbeProtocol.PROBE_PROTOCOL_UDP, host, port, timeoutMs, sourcePort };
  return new Promise((resolve) => {
    client.probe(request, new Metadata(), { deadline: new Date(Date.now() + timeoutMs + 5000) }, (error, response) =>
      resolve(
        error
          ? { reachable: false, rttMs: 0, error: `agent: ${agentCallError(error, agentPlace(client), 'Probe').message}`, observedSource: '' }
          : { ...response, observedSource: isEndpoint(response.observedSource) ? response.observedSource : '' },
      ),
    );
  });
}

/** OpenResponder RPC as a promise. */
export function openResponder(
  client: AgentServiceClient,
  protocol: 'tcp' | 'udp',
  port: number,
  durationMs: number,
): Promise<{ opened: boolean; error: string }> {
  const request = { protocol: protocol === 'tcp' ? ProbeProtocol.PROBE_PROTOCOL_TCP : ProbeProtocol.PROBE_PROTOCOL_UDP, port, durationMs };
  return new Promise((resolve) => {
    client.openResponder(request, new Metadata(), { deadline: new Date(Date.now() + 10_000) }, (error, response) =>
      resolve(error ? { opened: false, error: agentCallError(error, agentPlace(client), 'OpenResponder').message } : response),
    );
  });
}

/** A TCP connect from the desktop itself. */
export function desktopTcp(host: string, port: number, timeoutMs: number): Promise<{ reachable: boolean; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (error?: string) => {
      socket.destroy();
      resolve(error ? { reachable: false, error } : { reachable: true });
    };
    socket.setTimeout(timeoutMs, () => done('timeout'));
    socket.once('connect', () => done());
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  });
}

/** Runs a batch of tasks: all at once (Promise.all), or one after another (a baseline). */
export type Batch = <R>(tasks: Array<() => Promise<R>>) => Promise<R[]>;

export const atOnce: Batch = (tasks) => Promise.all(tasks.map((t) => t()));

export const oneByOne: Batch = async (tasks) => {
  const out = [];
  for (const t of tasks) out.push(await t());
  return out;
};

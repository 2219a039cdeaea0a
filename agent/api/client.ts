import { credentials, Metadata, type ChannelCredentials } from '@grpc/grpc-js';
import type { PeerCertificate } from 'node:tls';
import { AgentServiceClient, type ListResourcesResponse, type ResourceType } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { machineIdentityRefusal } from '../shared/cert-roles.js';
import { agentCallError, type AgentPlace } from './rpc-error.js';
import type { ApiTls } from './server.js';

/**
 * How to reach an agent: its TCP API with a client certificate, or the local unix socket.
 * Over TCP, `machine` is the machine the caller means to reach: the agent's certificate must
 * name it (cert-roles.ts), whatever address was dialled (an SSH tunnel dials 127.0.0.1).
 * `onIdentityRefused` hears why a certificate was refused, so the caller can say so.
 * `shownAs` is how errors name the address when the dialled one means nothing to people.
 */
export type AgentTarget =
  | { kind: 'tcp'; address: string; tls: ApiTls; machine: string; onIdentityRefused?: (reason: string) => void; shownAs?: string }
  | { kind: 'unix'; path: string };

const places = new WeakMap<AgentServiceClient, AgentPlace>();

/** The agent a client was opened for, as errors name it. */
export function agentPlace(client: AgentServiceClient): AgentPlace {
  return places.get(client) ?? { address: 'an address not opened by agentClient' };
}

/**
 * Opens a client for the AgentService. TLS verifies the chain to the cluster CA; then the
 * certificate must be a node certificate naming `machine`. The socket address plays no part:
 * agents are reached by whatever address works, and the CA binds each name to one machine.
 */
export function agentClient(target: AgentTarget): AgentServiceClient {
  if (target.kind === 'unix') {
    const local = new AgentServiceClient(`unix:${target.path}`, credentials.createInsecure());
    places.set(local, { address: target.path });
    return local;
  }
  const checkServerIdentity = (_host: string, cert: PeerCertificate): Error | undefined => {
    const refusal = machineIdentityRefusal(cert, target.machine);
    if (refusal === undefined) return undefined;
    const reason = `the agent's certificate does not belong to machine ${target.machine}: ${refusal}`;
    target.onIdentityRefused?.(reason);
    return Object.assign(new Error(reason), { code: 'ERR_AGENT_IDENTITY' });
  };
  const creds: ChannelCredentials = credentials.createSsl(target.tls.ca, target.tls.key, target.tls.cert, { checkServerIdentity });
  // SNI carries the machine name (agents are often reached by IP, which SNI cannot carry).
  const client = new AgentServiceClient(target.address, creds, { 'grpc.ssl_target_name_override': target.machine });
  places.set(client, { machine: target.machine, address: target.shownAs ?? target.address });
  return client;
}

/** ListResources as a promise, with errors as SpanwiseError (agentCallError). */
export function listResources(client: AgentServiceClient, types: ResourceType[], timeoutMs = 10_000): Promise<ListResourcesResponse> {
  return new Promise((resolve, reject) => {
    client.listResources({ types }, new Metadata(), { deadline: new Date(Date.now() + timeoutMs) }, (error, response) => {
      if (error) reject(agentCallError(error, agentPlace(client), 'ListResources'));
      else resolve(response);
    });
  });
}

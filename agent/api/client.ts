import { credentials, Metadata, type ChannelCredentials } from '@grpc/grpc-js';
import { AgentServiceClient, type ListResourcesResponse, type ResourceType } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { SpanwiseError } from '../lib/errors.js';
import type { ApiTls } from './server.js';

/** How to reach an agent: its TCP API with a client certificate, or the local unix socket. */
export type AgentTarget = { kind: 'tcp'; address: string; tls: ApiTls; serverName?: string } | { kind: 'unix'; path: string };

/**
 * Opens a client for the AgentService. TLS verifies the chain to the cluster CA but not the host
 * name: agents are reached by whatever address works, and only the cluster CA signs their certificates.
 */
export function agentClient(target: AgentTarget): AgentServiceClient {
  if (target.kind === 'unix') return new AgentServiceClient(`unix:${target.path}`, credentials.createInsecure());
  const creds: ChannelCredentials = credentials.createSsl(target.tls.ca, target.tls.key, target.tls.cert, { checkServerIdentity: () => undefined });
  // A name for SNI (agents are often reached by IP, which TLS may not carry); the chain check above is what authenticates.
  const options = { 'grpc.ssl_target_name_override': target.serverName ?? 'spanwise-agent' };
  return new AgentServiceClient(target.address, creds, options);
}

/** ListResources as a promise, with errors as SpanwiseError. */
export function listResources(client: AgentServiceClient, types: ResourceType[], timeoutMs = 10_000): Promise<ListResourcesResponse> {
  return new Promise((resolve, reject) => {
    client.listResources({ types }, new Metadata(), { deadline: new Date(Date.now() + timeoutMs) }, (error, response) => {
      if (error) reject(new SpanwiseError('AGENT_UNREACHABLE', `agent API: ${error.details || error.message}`, 'check that the agent runs, and --node and the client certificate files'));
      else resolve(response);
    });
  });
}

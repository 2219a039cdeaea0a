import { Server, ServerCredentials, type ServerInterceptor } from '@grpc/grpc-js';
import { readFile, rm } from 'node:fs/promises';
import { AgentServiceService } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { SpanwiseError } from '../shared/errors.js';
import { authorizeByRole } from './authorization.js';
import { agentService, type ServiceContext } from './service.js';

/** TLS material (PEM) for the agent API; peer certificates must chain to `ca`. */
export interface ApiTls {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** Reads the API's TLS files, naming the one that fails. */
export async function readApiTls(paths: { ca: string; cert: string; key: string }): Promise<ApiTls> {
  const read = async (field: string, path: string) => {
    try {
      return await readFile(path);
    } catch (error) {
      throw new SpanwiseError(
        'API_TLS_UNREADABLE',
        `api.${field}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        'point it at the PEM file the desktop installed',
      );
    }
  };
  return { ca: await read('ca', paths.ca), cert: await read('cert', paths.cert), key: await read('key', paths.key) };
}

/** Where to serve: TCP with mutual TLS, and/or a local unix socket (file permissions are its access control). */
export interface ApiListen {
  tcp?: { address: string; tls: ApiTls };
  unixSocket?: string;
}

/** A running API server. */
export interface ApiServer {
  /** The bound TCP port (useful with port 0). */
  port?: number;
  close(): Promise<void>;
}

function bind(server: Server, address: string, creds: ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => server.bindAsync(address, creds, (error, port) => (error ? reject(error) : resolve(port))));
}

/**
 * Starts the AgentService. TCP requires a client certificate signed by the cluster CA and
 * carrying a role the RPC allows (authorization.ts); the unix socket is a server of its own,
 * without that check. Both share one service, so one probe budget.
 */
export async function startApiServer(ctx: ServiceContext, listen: ApiListen): Promise<ApiServer> {
  const service = agentService(ctx);
  const servers: Server[] = [];
  const serve = (interceptors: ServerInterceptor[]) => {
    const server = new Server({ 'grpc.max_send_message_length': 16 << 20, interceptors });
    server.addService(AgentServiceService, service);
    servers.push(server);
    return server;
  };
  const close = () => Promise.all(servers.map((server) => new Promise<void>((resolve) => server.tryShutdown(() => resolve())))).then(() => undefined);
  let port: number | undefined;
  try {
    if (listen.tcp) {
      const creds = ServerCredentials.createSsl(listen.tcp.tls.ca, [{ cert_chain: listen.tcp.tls.cert, private_key: listen.tcp.tls.key }], true);
      port = await bind(serve([authorizeByRole]), listen.tcp.address, creds);
    }
    if (listen.unixSocket) {
      await rm(listen.unixSocket, { force: true });
      await bind(serve([]), `unix:${listen.unixSocket}`, ServerCredentials.createInsecure());
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { port, close };
}

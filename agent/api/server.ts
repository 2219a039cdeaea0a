import { Server, ServerCredentials, status, type ServerInterceptor, type ServerWritableStream } from '@grpc/grpc-js';
import { readFile, rm } from 'node:fs/promises';
import { AgentServiceService, type WatchResourcesRequest, type WatchResourcesResponse } from '../../proto/gen/spanwise/agent/v1/agent.js';
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
  /**
   * Stops accepting calls, ends open watches with UNAVAILABLE (clients reconnect to the next run),
   * lets unary calls finish within a short grace, then cancels what is left. Resolves once every
   * connection is closed.
   */
  close(): Promise<void>;
}

/** How long unary calls in flight (a probe has its own deadline of a few seconds) may take to finish on close. */
const UNARY_GRACE_MS = 3000;

type WatchCall = ServerWritableStream<WatchResourcesRequest, WatchResourcesResponse>;

function shutdown(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => server.forceShutdown(), UNARY_GRACE_MS);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
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
  const base = agentService(ctx);
  // A watch never ends by itself: the server ends it on close, or a shutdown would wait for every client to leave.
  const watches = new Set<WatchCall>();
  const service = {
    ...base,
    watchResources(call: WatchCall) {
      watches.add(call);
      call.on('close', () => watches.delete(call));
      call.on('cancelled', () => watches.delete(call));
      base.watchResources(call);
    },
  };
  const servers: Server[] = [];
  const serve = (interceptors: ServerInterceptor[]) => {
    const server = new Server({ 'grpc.max_send_message_length': 16 << 20, interceptors });
    server.addService(AgentServiceService, service);
    servers.push(server);
    return server;
  };
  const close = async () => {
    const stopping = servers.map(shutdown);
    for (const call of watches) call.emit('error', { code: status.UNAVAILABLE, details: 'the agent is stopping' });
    watches.clear();
    await Promise.all(stopping);
  };
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

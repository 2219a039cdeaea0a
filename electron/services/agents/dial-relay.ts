import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A loopback port that carries each connection to one agent address over sockets this process
 * holds. grpc-js cannot abort a TCP connect or a TLS handshake it started: closing its client
 * leaves them pending (a connect to an address that drops SYNs lasts a minute or more, a
 * handshake with a listener that never answers forever). Dialled through this relay, closing it
 * destroys every socket, connected or still connecting.
 */
export interface DialRelay {
  /** Where the gRPC client dials instead of the agent: 127.0.0.1:<port>. */
  localAddress: string;
  /** Why the last connection to the agent failed, in Node's words (e.g. "connect ECONNREFUSED ..."); undefined once one connects. */
  lastError(): string | undefined;
  /** Stops listening and destroys every socket it holds. */
  close(): void;
}

/** Opens a relay to `address` ("host:port", IPv6 in brackets); a connect not done in `connectTimeoutMs` fails as ETIMEDOUT. */
export async function openDialRelay(address: string, connectTimeoutMs: number): Promise<DialRelay> {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  const port = Number(address.slice(at + 1));
  if (at < 1 || !Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`agent address '${address}' is not host:port`);
  const sockets = new Set<Socket>();
  let lastError: string | undefined;
  const hold = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    return socket;
  };
  const server = createServer((inbound) => {
    hold(inbound);
    const outbound = hold(connect({ host, port, timeout: connectTimeoutMs }));
    outbound.once('timeout', () => outbound.destroy(Object.assign(new Error(`connect ETIMEDOUT ${address}`), { code: 'ETIMEDOUT' })));
    outbound.once('connect', () => {
      lastError = undefined;
      outbound.setTimeout(0);
      outbound.setNoDelay(true);
      inbound.pipe(outbound).pipe(inbound);
    });
    // A failed connect reaches grpc-js as a reset, which it reports as UNAVAILABLE at once.
    outbound.on('error', (error) => {
      lastError = error.message;
      if (!inbound.destroyed) inbound.resetAndDestroy();
    });
    outbound.on('close', () => inbound.destroy());
    inbound.on('error', () => outbound.destroy());
    inbound.on('close', () => outbound.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    localAddress: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    lastError: () => lastError,
    close() {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}

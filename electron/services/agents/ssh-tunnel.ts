import { createServer, type AddressInfo, type Server } from 'node:net';
import type { SshSession } from '../ssh/session.js';

/** A local TCP port that leads, through an SSH session, to host:port as seen from the machine. */
export interface SshTunnel {
  localAddress: string;
  close(): Promise<void>;
}

/** Opens 127.0.0.1:<random> and pipes every connection through the session. */
export async function openSshTunnel(session: SshSession, host: string, port: number): Promise<SshTunnel> {
  const server: Server = createServer((socket) => {
    session
      .forwardTo(host, port)
      .then((stream) => {
        socket.pipe(stream).pipe(socket);
        stream.on('error', () => socket.destroy());
        socket.on('error', () => stream.destroy());
      })
      .catch(() => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: localPort } = server.address() as AddressInfo;
  return { localAddress: `127.0.0.1:${localPort}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

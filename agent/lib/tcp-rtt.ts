import { connect } from 'node:net';

/**
 * Round-trip time to `host:port` in milliseconds, from one TCP handshake: the time to
 * the SYN-ACK, or to the RST of a closed port (both are one round trip). Null when
 * neither comes back within `timeoutMs` (dropped, unreachable) or the attempt fails
 * locally. The connection is closed at once; nothing is sent on it.
 */
export function tcpRtt(host: string, port: number, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect({ host, port, noDelay: true });
    const finish = (rtt: number | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(rtt);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    socket.once('connect', () => finish(performance.now() - started));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(error.code === 'ECONNREFUSED' ? performance.now() - started : null));
  });
}

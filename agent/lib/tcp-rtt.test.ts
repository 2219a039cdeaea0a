import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { tcpRtt } from './tcp-rtt.js';

describe('tcpRtt', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  const listen = () =>
    new Promise<number>((resolve) => {
      server = createServer((socket) => socket.destroy()).listen(0, '127.0.0.1', () => resolve((server?.address() as { port: number }).port));
    });

  it('measures a handshake with a listening port', async () => {
    const rtt = await tcpRtt('127.0.0.1', await listen(), 2000);
    expect(rtt).not.toBeNull();
    expect(rtt as number).toBeGreaterThan(0);
  });

  it('measures the refusal of a closed port, which is one round trip too', async () => {
    const port = await listen();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    const rtt = await tcpRtt('127.0.0.1', port, 2000);
    expect(rtt).not.toBeNull();
    expect(rtt as number).toBeGreaterThan(0);
  });

  it('gives null when the attempt fails locally', async () => {
    // A link-local address without a zone cannot be dialled (EINVAL), so nothing leaves the host.
    expect(await tcpRtt('fe80::1', 50000, 2000)).toBeNull();
  });
});

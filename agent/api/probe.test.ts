import { createSocket } from 'node:dgram';
import { connect, createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openResponder, PROBE_PREFIX } from './probe.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Connects and answers the handshake with a TCP reset, as a hostile peer would. */
function resetOnConnect(port: number, afterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => setTimeout(() => socket.resetAndDestroy(), afterMs));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
}

describe('probe responders under hostile traffic', () => {
  it('a TCP responder survives peers that reset the connection, and still answers', async () => {
    const port = await freePort();
    expect(await openResponder('tcp', port, 10_000)).toEqual({ opened: true, error: '' });
    for (let round = 0; round < 20; round += 1) await Promise.all(Array.from({ length: 10 }, (_, i) => resetOnConnect(port, i % 3)));
    await new Promise((r) => setTimeout(r, 100));
    const answered = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => undefined);
      socket.on('end', () => resolve(true));
      socket.on('error', () => resolve(false));
      socket.resume();
    });
    expect(answered).toBe(true);
  });

  it('a UDP responder ignores junk and answers a real probe after it', async () => {
    const port = await freePort();
    expect(await openResponder('udp', port, 10_000)).toEqual({ opened: true, error: '' });
    const client = createSocket('udp4');
    await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', () => resolve()));
    for (const junk of [
      '',
      'x',
      `${PROBE_PREFIX}`,
      `${PROBE_PREFIX} not-hex`,
      `${PROBE_PREFIX} ${'a'.repeat(40)}`,
      Buffer.alloc(1400, 0xff).toString('latin1'),
    ])
      client.send(junk, port, '127.0.0.1');
    const reply = new Promise<string>((resolve) => client.on('message', (msg) => resolve(msg.toString('utf8'))));
    client.send(`${PROBE_PREFIX} 0123abcd`, port, '127.0.0.1');
    expect(await reply).toBe(`${PROBE_PREFIX} 0123abcd 127.0.0.1:${client.address().port}`);
    client.close();
  });
});

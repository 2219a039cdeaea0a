// Watch streams that cost their client almost nothing: HTTP/2 connections written by
// hand over TCP, with flow-control windows opened to 2 GiB up front, that discard what
// they read and only answer SETTINGS and PING. A thousand Node HTTP/2 client sessions
// in one process cost more CPU than the server's fan-out to them, so with those the
// benchmark would measure its own client; with these, in a process of their own (away
// from the probes' event loop), it measures the server.
import { fork } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { WatchRequest } from '../proto/gen/sidero/discovery/server/cluster.js';
import { frame as grpcFrame } from './discovery-load.js';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
const MAX_WINDOW = 2 ** 31 - 1;

function h2frame(type: number, flags: number, stream: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(stream, 5);
  return Buffer.concat([head, payload]);
}

/** HPACK literal without indexing, new name, no Huffman (names and values under 127 bytes). */
function literal(name: string, value: string): Buffer {
  return Buffer.concat([Buffer.from([0x00, name.length]), Buffer.from(name), Buffer.from([value.length]), Buffer.from(value)]);
}

function opening(authority: string, clusterId: string, streams: number): Buffer {
  const settings = Buffer.alloc(6);
  settings.writeUInt16BE(0x4, 0);
  settings.writeUInt32BE(MAX_WINDOW, 2);
  const increment = Buffer.alloc(4);
  increment.writeUInt32BE(MAX_WINDOW - 65_535, 0);
  const headers = Buffer.concat([
    Buffer.from([0x83, 0x86]),
    literal(':path', '/sidero.discovery.server.Cluster/Watch'),
    literal(':authority', authority),
    literal('content-type', 'application/grpc'),
    literal('te', 'trailers'),
  ]);
  const request = grpcFrame(WatchRequest.encode({ clusterId }).finish());
  const watches = Array.from({ length: streams }, (_, i) => [h2frame(0x1, 0x4, 2 * i + 1, headers), h2frame(0x0, 0x1, 2 * i + 1, request)]);
  return Buffer.concat([PREFACE, h2frame(0x4, 0, 0, settings), h2frame(0x8, 0, 0, increment), ...watches.flat()]);
}

/**
 * Reads one connection's frames: DATA payloads are skipped as they stream past
 * (never copied), SETTINGS and PING are answered.
 */
function reader(socket: Socket): (chunk: Buffer) => void {
  let head = Buffer.alloc(0);
  let skip = 0;
  let ping: Buffer | undefined;
  const pong = () => {
    if (skip === 0 && ping) socket.write(h2frame(0x6, 0x1, 0, ping));
    if (skip === 0) ping = undefined;
  };
  return (chunk) => {
    let at = 0;
    while (at < chunk.length) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - at);
        if (ping) ping = Buffer.concat([ping, chunk.subarray(at, at + n)]);
        skip -= n;
        at += n;
        pong();
        continue;
      }
      const n = Math.min(9 - head.length, chunk.length - at);
      head = Buffer.concat([head, chunk.subarray(at, at + n)]);
      at += n;
      if (head.length < 9) continue;
      const length = head.readUIntBE(0, 3);
      const type = head[3] ?? 0;
      const ack = ((head[4] ?? 0) & 0x1) === 1;
      head = Buffer.alloc(0);
      if (type === 0x4 && !ack) socket.write(h2frame(0x4, 0x1, 0, Buffer.alloc(0)));
      ping = type === 0x6 && !ack ? Buffer.alloc(0) : undefined;
      skip = length;
      pong();
    }
  };
}

/** `count` Watch streams on `clusterId`, `perConnection` to a connection; resolves once every connection has received data. */
async function openSinks(address: string, clusterId: string, count: number, perConnection: number): Promise<void> {
  const [host = '127.0.0.1', port = '0'] = address.split(':');
  const opened = Array.from({ length: Math.ceil(count / perConnection) }, (_, c) => {
    const streams = Math.min(perConnection, count - c * perConnection);
    const socket = connect({ host, port: Number(port) });
    socket.on('error', () => {});
    return new Promise<void>((resolve) => {
      socket.once('connect', () => socket.write(opening(address, clusterId, streams)));
      const read = reader(socket);
      socket.on('data', (chunk: Buffer) => {
        read(chunk);
        resolve();
      });
    });
  });
  await Promise.all(opened);
}

/** `count` thin sinks, `perConnection` to a connection, in a child process; resolves once every connection has received data. */
export async function thinSinks(address: string, clusterId: string, count: number, perConnection = 1): Promise<{ close: () => void }> {
  const child = fork(new URL(import.meta.url).pathname, ['sinks', address, clusterId, String(count), String(perConnection)], { execArgv: ['--import', 'tsx'] });
  await new Promise((resolve) => child.once('message', resolve));
  return { close: () => child.kill() };
}

if (process.argv[2] === 'sinks') {
  process.once('disconnect', () => process.exit(0));
  const [address = '', clusterId = '', count = '0', perConnection = '1'] = process.argv.slice(3);
  await openSinks(address, clusterId, Number(count), Number(perConnection));
  process.send?.('open');
}

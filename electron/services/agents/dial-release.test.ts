import { spawn } from 'node:child_process';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDialRelay } from './dial-relay.js';

const CONNECTION = new URL('./agent-connection.ts', import.meta.url).pathname;
const PKI = new URL('../../../agent/shared/pki.ts', import.meta.url).pathname;

/** Dials ADDRESS, gives up after 500 ms, prints the error code, then must exit by itself: nothing the dial opened may hold it. */
const CHILD = `
import { register } from 'tsx/esm/api';
register();
const { dialAgent } = await import(${JSON.stringify(CONNECTION)});
const { createCa } = await import(${JSON.stringify(PKI)});
const error = await dialAgent(process.argv[1], 'node-a', await createCa('cluster CA'), 500).then(() => undefined, (e) => e);
console.log(JSON.stringify({ code: error?.code, reason: error?.details?.reason }));
setInterval(() => console.log(JSON.stringify({ holding: process.getActiveResourcesInfo() })), 1000).unref();
`;

/** Runs CHILD against `address`; a child still running after 15 s is killed, and its output tells what held it. */
function dialInChild(address: string, env: NodeJS.ProcessEnv = {}): Promise<{ exit: number | null; output: string }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, address], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve) =>
    child.once('exit', (exit) => {
      clearTimeout(killer);
      resolve({ exit, output });
    }),
  );
}

/** A loopback port that was just bound and closed: nothing listens there. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// Accepts TCP and never answers: the TLS handshake of a dial to it never ends.
const held: Socket[] = [];
let silent: Server;
beforeAll(async () => {
  silent = createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
});
afterAll(() => {
  for (const socket of held) socket.destroy();
  silent.close();
});

it('a dial that gives up on a listener that never speaks TLS leaves no socket open: the process exits by itself', async () => {
  const { exit, output } = await dialInChild(`127.0.0.1:${(silent.address() as AddressInfo).port}`);
  expect(output.split('\n')[0]).toBe(JSON.stringify({ code: 'AGENT_TIMEOUT' }));
  expect(output).not.toContain('holding');
  expect(exit).toBe(0);
});

it('a dial refused at once still says nothing listens there, and leaves nothing open', async () => {
  const { exit, output } = await dialInChild(`127.0.0.1:${await closedPort()}`);
  expect(output.split('\n')[0]).toBe(JSON.stringify({ code: 'AGENT_UNREACHABLE', reason: 'connection-refused' }));
  expect(exit).toBe(0);
});

it('a client that cannot even be made (no TLS cipher matches) closes the relay it dialled through: the process exits by itself', async () => {
  const { exit, output } = await dialInChild(`127.0.0.1:${(silent.address() as AddressInfo).port}`, { GRPC_SSL_CIPHER_SUITES: 'no-such-cipher' });
  expect(output.split('\n')[0]).toBe(JSON.stringify({ code: 'ERR_SSL_NO_CIPHER_MATCH' }));
  expect(output).not.toContain('holding');
  expect(exit).toBe(0);
});

it('forgets why a connection failed once a later one connects', async () => {
  const port = await closedPort();
  const relay = await openDialRelay(`127.0.0.1:${port}`, 500);
  const [host = '', local = ''] = relay.localAddress.split(':');
  const dial = () =>
    new Promise<void>((resolve) => {
      const socket = connect({ host, port: Number(local) });
      socket.on('error', () => undefined).once('close', () => resolve());
      socket.once('data', () => socket.end());
    });
  try {
    await dial();
    expect(relay.lastError()).toContain('ECONNREFUSED');
    const agent = createServer((socket) => socket.end('hello'));
    await new Promise<void>((resolve) => agent.listen(port, '127.0.0.1', resolve));
    await dial();
    expect(relay.lastError()).toBeUndefined();
    agent.close();
  } finally {
    relay.close();
  }
});

import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';

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
function dialInChild(address: string): Promise<{ exit: number | null; output: string }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, address], { stdio: ['ignore', 'pipe', 'inherit'] });
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
  const { exit, output } = await dialInChild('127.0.0.1:9');
  expect(output.split('\n')[0]).toBe(JSON.stringify({ code: 'AGENT_UNREACHABLE', reason: 'connection-refused' }));
  expect(exit).toBe(0);
});

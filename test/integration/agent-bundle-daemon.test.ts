// The bundled agent (what hosts run) as a daemon: two `run --dry-run` processes started with the
// launch environment find each other through the bundle's own discovery service over gRPC and serve
// their metrics, then stop cleanly on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AGENT_LAUNCH_ENV } from '../../agent/shared/agent-launch.js';
import { buildAgentBundle } from '../../scripts/agent-bundle.js';

const dir = mkdtempSync(join(tmpdir(), 'spanwise-bundle-daemon-'));
const bundle = join(dir, 'spanwise-agent.mjs');
const children: ChildProcess[] = [];
const output = new Map<ChildProcess, string>();

function start(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(process.execPath, [bundle, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  output.set(child, '');
  child.stderr?.on('data', (chunk: Buffer) => output.set(child, `${output.get(child) ?? ''}${chunk.toString()}`));
  children.push(child);
  return child;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${[...output.values()].join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const scrape = async (port: number) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
const keyIn = (text: string) => /^spanwise_agent_peer_state\{public_key="([^"]+)"/m.exec(text)?.[1];

let metricsPorts: number[] = [];

beforeAll(async () => {
  await buildAgentBundle(bundle);
  const discoveryPort = await freePort();
  start(['discovery', 'serve', '--listen', `127.0.0.1:${discoveryPort}`, '--max-memory', 'off']);
  const secret = Buffer.alloc(32, 5).toString('base64');
  metricsPorts = [await freePort(), await freePort()];
  metricsPorts.forEach((port, i) => {
    const config = join(dir, `agent${i}.yaml`);
    writeFileSync(
      config,
      `cluster: { id: bundle-daemon, secret: "${secret}" }\ndiscovery: { endpoints: ["http://127.0.0.1:${discoveryPort}"] }\n` +
        `metrics: { listen: "127.0.0.1:${port}" }\nstateDir: ${join(dir, `state${i}`)}\nruntimeDir: ${join(dir, `run${i}`)}\nnode: { hostname: node${i} }\n`,
      { mode: 0o600 },
    );
    start(['run', '--config', config, '--dry-run'], AGENT_LAUNCH_ENV);
  });
}, 60_000);

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

it('runs from the bundle with the launch environment: peers found through discovery, metrics served, a clean stop', async () => {
  const [a, b] = metricsPorts as [number, number];
  // Each agent's metrics list the other as a peer: it registered, watched discovery and planned the mesh.
  const peerOfA = await waitFor('agent 0 to list a peer', async () => keyIn(await scrape(a)));
  const peerOfB = await waitFor('agent 1 to list a peer', async () => keyIn(await scrape(b)));
  expect(peerOfA).not.toBe(peerOfB);
  const text = await scrape(b);
  expect(text).toMatch(/^spanwise_agent_build_info\{version="[^"]+"\} 1$/m);
  expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
  expect(text).toMatch(/^nodejs_eventloop_lag_seconds [\d.e-]+$/m);
  const agents = children.slice(1);
  const exits = agents.map((child) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))));
  for (const child of agents) child.kill('SIGTERM');
  expect(await Promise.all(exits)).toEqual([0, 0]);
}, 120_000);

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { AGENT_BIN, AgentStream } from './agent-cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'spanwise-stop-'));
// A discovery service that accepts TCP and never answers: the agent's calls to it wait for their deadlines.
const held: Socket[] = [];
const silent = createServer((socket) => held.push(socket));
afterAll(() => {
  for (const socket of held) socket.destroy();
  silent.close();
  rmSync(dir, { recursive: true, force: true });
});

it('stops on SIGTERM with a client watching its API and discovery not answering: the exit is clean, no stop deadline is hit', async () => {
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const discovery = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const config = join(dir, 'agent.yaml');
  const secret = Buffer.alloc(32, 7).toString('base64');
  writeFileSync(
    config,
    `cluster:\n  id: 8XuV9TZHW08DOk3bVxQjH9ih_TBKjnh-j44tsCLSBzo=\n  secret: ${secret}\ndiscovery:\n  endpoints: [${discovery}]\nstateDir: ${dir}/state\nruntimeDir: ${dir}/run\nmetrics:\n  listen: 127.0.0.1:0\n`,
    { mode: 0o600 },
  );
  const agent = spawn(process.execPath, [AGENT_BIN, 'run', '--config', config, '--dry-run'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  agent.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => agent.once('exit', resolve));
  let watch: AgentStream | undefined;
  try {
    for (let i = 0; i < 600 && !stderr.includes('agent started'); i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(stderr).toContain('agent started');
    watch = new AgentStream(['get', 'identities', '-w', '--socket', join(dir, 'run', 'agent.sock')]);
    await watch.until(/fd7f:/);
    for (let i = 0; i < 600 && held.length === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(held.length, 'the agent dialled discovery').toBeGreaterThan(0);
    agent.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The watcher heard the agent go (its stream was ended, not left to hang).
    await watch.exited;
  } finally {
    agent.kill('SIGKILL');
    watch?.child.kill('SIGKILL');
  }
  expect(stderr).toContain('agent stopping');
  expect(stderr).not.toContain('did not stop in time');
});

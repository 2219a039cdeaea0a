import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { AGENT_BIN, AgentStream } from './agent-cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'spanwise-stop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('stops on SIGTERM with a client watching its API: the watch is ended, the exit is clean, no stop deadline is hit', async () => {
  const config = join(dir, 'agent.yaml');
  const secret = Buffer.alloc(32, 7).toString('base64');
  writeFileSync(
    config,
    `cluster:\n  id: 8XuV9TZHW08DOk3bVxQjH9ih_TBKjnh-j44tsCLSBzo=\n  secret: ${secret}\ndiscovery:\n  endpoints: [http://127.0.0.1:9]\nstateDir: ${dir}/state\nruntimeDir: ${dir}/run\nmetrics:\n  listen: 127.0.0.1:0\n`,
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

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { AGENT_BIN, runAgent } from './agent-cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'spanwise-supervise-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it('writes the supervised agent output to a log file rotated by size while it runs', async () => {
  const config = join(dir, 'agent.yaml');
  const secret = Buffer.alloc(32, 7).toString('base64');
  writeFileSync(
    config,
    `cluster:\n  id: 8XuV9TZHW08DOk3bVxQjH9ih_TBKjnh-j44tsCLSBzo=\n  secret: ${secret}\ndiscovery:\n  endpoints: [http://127.0.0.1:9]\nstateDir: ${dir}/state\nruntimeDir: ${dir}/run\n`,
    { mode: 0o600 },
  );
  const log = join(dir, 'log', 'agent.log');
  const pidFile = join(dir, 'supervise.pid');
  // --verbose prints one line per controller at start: a few KiB, enough for several 512-byte files.
  const supervisor = spawn(
    process.execPath,
    [
      AGENT_BIN,
      'supervise',
      '--pid-file',
      pidFile,
      '--log-file',
      log,
      '--log-max-bytes',
      '512',
      '--log-keep',
      '2',
      '--',
      'run',
      '--config',
      config,
      '--dry-run',
      '--verbose',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<number | null>((resolve) => supervisor.once('exit', resolve));
  const logs = () => [`${log}.2`, `${log}.1`, log].filter(existsSync).map((f) => readFileSync(f, 'utf8'));
  try {
    await until(() => logs().join('').includes('agent started'), `'agent started' in ${log}`);
    expect(existsSync(`${log}.2`)).toBe(true);
    expect(existsSync(`${log}.3`)).toBe(false);
    for (const text of logs()) expect(Buffer.byteLength(text)).toBeLessThanOrEqual(512);
    for (const line of logs().join('').trim().split('\n')) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (debug|info|warn|error) /);
    expect(statSync(log).mode & 0o777).toBe(0o600);
  } finally {
    supervisor.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  expect(logs().join('')).toContain('agent stopping');
});

it("puts a time and level on the child's lines that lack them, such as a fatal error", async () => {
  const log = join(dir, 'failing', 'discovery.log');
  const supervisor = spawn(
    process.execPath,
    [AGENT_BIN, 'supervise', '--pid-file', join(dir, 'failing.pid'), '--log-file', log, '--', 'discovery', 'serve', '--listen', 'nowhere'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<number | null>((resolve) => supervisor.once('exit', resolve));
  try {
    await until(() => existsSync(log) && readFileSync(log, 'utf8').includes('child exited; restarting'), `a restart in ${log}`);
  } finally {
    supervisor.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  const lines = readFileSync(log, 'utf8').trim().split('\n');
  expect(lines.some((line) => /^\S+Z error spanwise-agent: .*'nowhere'/.test(line))).toBe(true);
  for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (debug|info|warn|error) /);
});

it('refuses a rotation size too small to hold a line, naming the flag', async () => {
  const run = await runAgent(['supervise', '--pid-file', join(dir, 'x.pid'), '--log-file', join(dir, 'x.log'), '--log-max-bytes', '10', '--', 'run']);
  expect(run.code).not.toBe(0);
  expect(run.stderr).toContain("--log-max-bytes: '10' is not a whole number of at least 256");
  expect(existsSync(join(dir, 'x.pid'))).toBe(false);
});

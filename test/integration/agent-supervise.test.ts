import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const bin = new URL('../../bin/spanwise-agent.mjs', import.meta.url).pathname;

/** A free port below the ephemeral range, so no other test's listen(0) or connect takes it while the child restarts. */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer().once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
  });

/** The pid of the supervisor's one child, or '' while it has none. */
function childOf(pid: number): string {
  try {
    return execFileSync('pgrep', ['-P', String(pid), '-f', 'discovery serve'])
      .toString()
      .trim();
  } catch {
    return '';
  }
}

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it('keeps a subcommand running, restarts it after a crash, and stops cleanly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spanwise-supervise-'));
  const port = await freePort();
  const pidFile = join(dir, 'discovery.pid');
  const logFile = join(dir, 'discovery.log');
  const supervisor = spawn(
    process.execPath,
    [bin, 'supervise', '--pid-file', pidFile, '--log-file', logFile, '--', 'discovery', 'serve', '--listen', `127.0.0.1:${port}`],
    { stdio: 'ignore' },
  );
  const exited = new Promise<number | null>((resolve) => supervisor.once('exit', resolve));
  try {
    await until(() => listening(port), 'the supervised discovery service');
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(String(supervisor.pid));
    await until(() => childOf(supervisor.pid ?? 0) !== '', 'the supervised child');
    const child = childOf(supervisor.pid ?? 0);
    process.kill(Number(child), 'SIGKILL');
    const pid = supervisor.pid ?? 0;
    await until(() => childOf(pid) !== '' && childOf(pid) !== child, 'a new child after the crash');
    const restarted = childOf(pid);
    await until(() => listening(port), 'the restarted service');
    expect(childOf(pid)).toBe(restarted);
  } finally {
    supervisor.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  expect(existsSync(pidFile)).toBe(false);
  expect(await listening(port)).toBe(false);
  expect(readFileSync(logFile, 'utf8').length).toBeGreaterThan(0);
});

it('stops for good when told to during the pause before a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spanwise-supervise-'));
  const port = await freePort();
  const pidFile = join(dir, 'discovery.pid');
  const supervisor = spawn(process.execPath, [bin, 'supervise', '--pid-file', pidFile, '--', 'discovery', 'serve', '--listen', `127.0.0.1:${port}`], {
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => supervisor.once('exit', resolve));
  const pid = supervisor.pid ?? 0;
  try {
    await until(() => childOf(pid) !== '', 'the supervised child');
    process.kill(Number(childOf(pid)), 'SIGKILL');
    await until(() => childOf(pid) === '', 'the crash');
  } finally {
    supervisor.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  await new Promise((r) => setTimeout(r, 1500));
  expect(await listening(port)).toBe(false);
  expect(existsSync(pidFile)).toBe(false);
});

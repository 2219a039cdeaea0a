import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { AGENT_BIN, runAgent } from './agent-cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'spanwise-notify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The service manager's side of NOTIFY_SOCKET: a unix datagram socket printing each message as one JSON line. */
const LISTENER = `
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print(json.dumps("listening"), flush=True)
while True:
    print(json.dumps(s.recv(4096).decode()), flush=True)
`;

/** Collects the messages a NOTIFY_SOCKET listener receives. */
class NotifyListener {
  readonly messages: string[] = [];
  private readonly child: ChildProcess;
  private waiters: (() => void)[] = [];

  constructor(readonly path: string) {
    this.child = spawn('python3', ['-c', LISTENER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let rest = '';
    this.child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) this.messages.push(JSON.parse(line) as string);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Waits for a message holding `variable` (e.g. READY=1); fails after 30 s with what arrived. */
  async until(variable: string): Promise<string> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = this.messages.find((m) => m.split('\n').includes(variable));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${variable} on ${this.path}; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  close(): void {
    this.child.kill();
  }
}

it('under Type=notify, sends READY=1 once the API serves the reconciled state, and STOPPING=1 on SIGTERM', async () => {
  const notify = new NotifyListener(join(dir, 'notify.sock'));
  await notify.until('listening');
  const config = join(dir, 'agent.yaml');
  const secret = Buffer.alloc(32, 7).toString('base64');
  writeFileSync(
    config,
    `cluster:\n  id: 8XuV9TZHW08DOk3bVxQjH9ih_TBKjnh-j44tsCLSBzo=\n  secret: ${secret}\ndiscovery:\n  endpoints: [http://127.0.0.1:9]\nstateDir: ${dir}/state\nruntimeDir: ${dir}/run\n`,
    { mode: 0o600 },
  );
  const agent = spawn(process.execPath, [AGENT_BIN, 'run', '--config', config, '--dry-run', '--log-format', 'json'], {
    env: { ...process.env, NOTIFY_SOCKET: notify.path },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  agent.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => agent.once('exit', resolve));
  try {
    const ready = await notify.until('READY=1');
    expect(ready.split('\n')).toContain('STATUS=serving the agent API');
    // Ready means serving: the API answers at once, with the identity the first reconcile made.
    const identity = await runAgent(['get', 'identities', '-o', 'json', '--socket', join(dir, 'run', 'agent.sock')]);
    expect(identity.code, identity.stderr).toBe(0);
    expect(identity.stdout).toMatch(/"address":\s*"fd/);
    expect(notify.messages.some((m) => m.includes('STOPPING=1'))).toBe(false);
    agent.kill('SIGTERM');
    await notify.until('STOPPING=1');
    expect(await exited).toBe(0);
  } finally {
    agent.kill('SIGKILL');
    notify.close();
  }
  // --log-format json: every line the agent wrote is one JSON object with time and level.
  const lines = stderr.trim().split('\n');
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines) expect(JSON.parse(line)).toMatchObject({ time: expect.stringMatching(/Z$/), level: expect.any(String) });
  expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toContain('agent started');
});

it('refuses an unknown --log-format, naming the flag and the choices', async () => {
  const run = await runAgent(['run', '--config', join(dir, 'none.yaml'), '--log-format', 'xml']);
  expect(run.code).not.toBe(0);
  expect(run.stderr).toContain("--log-format: 'xml' is not a log format");
  expect(run.stderr).toContain('text, json');
});

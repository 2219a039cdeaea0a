import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { FakeCommand, FakeRecord, FakeReply } from './fake-electron/link.js';

/** The checkout root, where `npm run build` puts dist/. */
export const root = fileURLToPath(new URL('../../', import.meta.url));

/** The built page the app's window loads, and its URL as the renderer's frame reports it. */
export const indexHtml = join(root, 'dist/renderer/index.html');
export const indexUrl = pathToFileURL(indexHtml).href;

const register = fileURLToPath(new URL('./fake-electron/register.ts', import.meta.url));

/** One run of the built main process (`dist/electron/main.mjs`) in Node, over the fake electron. */
export class MainRun {
  readonly records: FakeRecord[] = [];
  readonly exited: Promise<number | null>;
  stderr = '';
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();
  private readonly replies = new Map<number, (reply: FakeReply) => void>();
  private nextId = 1;

  /** Starts it with `FAKE_ELECTRON_*` settings (userData is required) and any other environment. */
  constructor(env: Record<string, string>) {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('FAKE_ELECTRON_') && name !== 'SPANWISE_HOME'));
    this.child = fork(join(root, 'dist/electron/main.mjs'), [], {
      cwd: root,
      execArgv: ['--import', register],
      env: { ...inherited, FAKE_ELECTRON_APP_PATH: root, ...env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.on('message', (message: FakeRecord | FakeReply) => {
      if (message.kind === 'reply') this.replies.get(message.id)?.(message);
      else this.records.push(message);
      for (const wake of this.waiters) wake();
    });
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code) => {
        for (const wake of this.waiters) wake();
        resolve(code);
      }),
    );
  }

  /** The records of one kind so far. */
  all(what: string): FakeRecord[] {
    return this.records.filter((r) => r.what === what);
  }

  /** Waits for a record of one kind (matching `match`, when given), failing with what stderr said. */
  waitFor(what: string, match: (record: FakeRecord) => boolean = () => true, timeoutMs = 10_000): Promise<FakeRecord> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no '${what}' record within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      const check = () => {
        const found = this.records.find((r) => r.what === what && match(r));
        if (found) done(null, found);
        else if (this.child.exitCode !== null) done(new Error(`exited (${this.child.exitCode}) before a '${what}' record; stderr: ${this.stderr}`));
      };
      const done = (error: Error | null, found?: FakeRecord) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (error) reject(error);
        else resolve(found as FakeRecord);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Sends a command to the fake and resolves with its value. */
  command(name: string, args: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.replies.set(id, (reply) => (reply.error ? reject(new Error(reply.error)) : resolve(reply.value)));
      this.child.send({ kind: 'command', id, name, ...args } satisfies FakeCommand);
    });
  }

  /** Invokes a contract channel as a frame at `frameUrl` would (null: a frame that is gone). */
  invoke(
    channel: string,
    request: unknown,
    frameUrl: string | null = indexUrl,
  ): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string; hint?: string } }> {
    return this.command('invoke', { channel, request, frameUrl }) as never;
  }

  /** Quits through the app (as the tray's Quit does) and resolves with the exit code. */
  async quit(): Promise<number | null> {
    void this.command('quit').catch(() => undefined);
    return this.exited;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

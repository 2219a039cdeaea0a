import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../lib/log.js';
import type { CommandRunner } from '../system/command.js';
import type { LinkProvider } from './linux-backend.js';
import { KUBESPAN } from './types.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A supervised `wireguard-go -f kubespan` for kernels without WireGuard: started on demand,
 * restarted with backoff when it exits, stopped on remove. `wg` and `ip` then work as with the module.
 */
export class UserspaceLink implements LinkProvider {
  readonly name = 'wireguard-go' as const;
  private child?: ChildProcess;
  private stopping = false;
  private restarts = 0;

  constructor(
    private readonly runner: CommandRunner,
    private readonly log: Logger,
    private readonly binary = 'wireguard-go',
  ) {}

  private async linkExists(): Promise<boolean> {
    return (await this.runner.run({ argv: ['ip', 'link', 'show', 'dev', KUBESPAN.link] })).code === 0;
  }

  private start(): void {
    this.stopping = false;
    const child = spawn(this.binary, ['-f', KUBESPAN.link], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, WG_PROCESS_FOREGROUND: '1' } });
    this.child = child;
    child.stderr?.on('data', (d: Buffer) => this.log.debug('wireguard-go', { output: d.toString('utf8').trim() }));
    child.on('error', (error) => this.log.error('wireguard-go failed to start', { error: error.message }));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (this.stopping) return;
      this.restarts += 1;
      const delay = Math.min(30_000, 500 * 2 ** Math.min(this.restarts, 6));
      this.log.warn('wireguard-go exited; restarting', { code: code ?? undefined, signal: signal ?? undefined, inMs: delay });
      setTimeout(() => (this.stopping || this.child ? undefined : this.start()), delay).unref();
    });
  }

  async ensure(): Promise<void> {
    if (await this.linkExists()) return;
    if (!this.child) this.start();
    for (let i = 0; i < 50; i += 1) {
      if (await this.linkExists()) return;
      await sleep(100);
    }
    throw new Error(`${this.binary} did not create the ${KUBESPAN.link} link within 5s`);
  }

  async remove(): Promise<void> {
    await this.close();
    await this.runner.run({ argv: ['ip', 'link', 'del', 'dev', KUBESPAN.link] });
  }

  /** Stops wireguard-go (which takes its link with it) and its restarts. */
  async close(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
    }
  }
}

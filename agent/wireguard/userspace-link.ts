import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Logger } from '../shared/log.js';
import type { CommandRunner } from '../system/command.js';
import type { LinkProvider } from './linux-backend.js';
import { KUBESPAN } from './types.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Where wireguard-go puts its control socket (the host's /run). */
export const WIREGUARD_GO_SOCKET_DIR = '/run/wireguard';

/**
 * A supervised `wireguard-go -f kubespan` for kernels without WireGuard: started on demand,
 * restarted with backoff when it exits, stopped on remove. `wg` and `ip` then work as with the module.
 */
export class UserspaceLink implements LinkProvider {
  readonly name = 'wireguard-go' as const;
  private child?: ChildProcess;
  private stopping = false;
  private restarts = 0;
  private checkedOrphan = false;

  constructor(
    private readonly runner: CommandRunner,
    private readonly log: Logger,
    private readonly binary = 'wireguard-go',
    private readonly socketDir = WIREGUARD_GO_SOCKET_DIR,
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

  /**
   * A userspace link this process did not start was left by an agent that died without cleanup:
   * its wireguard-go is not supervised by anyone. Delete the link (that ends the orphan) so a
   * supervised one replaces it. Checked once, at the first `ensure`.
   */
  private async replaceOrphan(): Promise<void> {
    if (this.checkedOrphan) return;
    this.checkedOrphan = true;
    if (this.child || !existsSync(`${this.socketDir}/${KUBESPAN.link}.sock`) || !(await this.linkExists())) return;
    this.log.warn('replacing a wireguard-go left by a previous agent run', { link: KUBESPAN.link });
    await this.runner.run({ argv: ['ip', 'link', 'del', 'dev', KUBESPAN.link] });
    for (let i = 0; i < 30 && (await this.linkExists()); i += 1) await sleep(100);
  }

  async ensure(): Promise<void> {
    await this.replaceOrphan();
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

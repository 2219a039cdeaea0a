import type { CommandRunner } from '../system/command.js';
import type { LinkProvider } from './linux-backend.js';
import { KUBESPAN } from './types.js';

/** The kernel WireGuard module, through `ip link add ... type wireguard`. */
export class KernelLink implements LinkProvider {
  readonly name = 'kernel' as const;
  constructor(private readonly runner: CommandRunner) {}

  async ensure(): Promise<void> {
    if ((await this.runner.run({ argv: ['ip', 'link', 'show', 'dev', KUBESPAN.link] })).code === 0) return;
    const result = await this.runner.run({ argv: ['ip', 'link', 'add', 'dev', KUBESPAN.link, 'type', 'wireguard'] });
    if (result.code !== 0) throw new Error(`ip link add dev ${KUBESPAN.link} type wireguard: ${result.stderr.trim()}`);
  }

  async remove(): Promise<void> {
    await this.runner.run({ argv: ['ip', 'link', 'del', 'dev', KUBESPAN.link] });
  }
}

/** Whether the kernel can make WireGuard links (the module is loaded or loadable). */
export async function kernelHasWireGuard(runner: CommandRunner): Promise<boolean> {
  const probe = `${KUBESPAN.link}probe`;
  const result = await runner.run({ argv: ['ip', 'link', 'add', 'dev', probe, 'type', 'wireguard'] });
  if (result.code === 0) await runner.run({ argv: ['ip', 'link', 'del', 'dev', probe] });
  return result.code === 0;
}

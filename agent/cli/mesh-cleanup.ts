import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '../shared/clock.js';
import { ExecRunner } from '../system/command.js';
import { KernelLink } from '../wireguard/kernel-link.js';
import { LinuxBackend } from '../wireguard/linux-backend.js';

/** Removes the mesh link, table 180 routes, rule 32500, the nftables table and the key files. */
export async function cleanupMesh(runtimeDir: string): Promise<void> {
  const runner = new ExecRunner();
  await new LinuxBackend({ runner, link: new KernelLink(runner), clock: systemClock, keyDir: runtimeDir }).remove();
  await rm(join(runtimeDir, 'kubespan.key'), { force: true });
  await rm(join(runtimeDir, 'kubespan.psk'), { force: true });
}

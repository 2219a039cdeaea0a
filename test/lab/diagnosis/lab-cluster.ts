import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OnboardingResult } from '../../../electron/contract/onboarding.js';
import type { ClusterSettings } from '../../../electron/contract/settings.js';
import type { ClusterStatus } from '../../../electron/contract/status.js';
import { createServices, type Services } from '../../../electron/services/index.js';
import { buildApp } from '../../browser/build-renderer.js';
import type { LabHost, LabStatus } from '../status.js';

/** A cluster of real agents onboarded onto a lab scenario, with the services that run it. */
export interface LabCluster {
  services: Services;
  /** The data dir the services use (the CLI takes it with --data-dir). */
  dataDir: string;
  /** The onboarded nodes, in scenario order. */
  nodes: string[];
  close(): void;
}

const toSite = (host: LabHost) => (host.site === 'gateway' ? null : host.site);

/**
 * Creates a cluster (discovery on the first cloud node), adds every non-gateway
 * host of the lab as root with the lab's key (and its gateway as jump host),
 * and onboards them all, trusting host keys on first use. Throws with the
 * failed step when a node does not onboard.
 */
export async function onboardLab(status: LabStatus, options: { build?: boolean; settings?: Partial<ClusterSettings> } = {}): Promise<LabCluster> {
  if (options.build ?? true) buildApp();
  const dataDir = join(mkdtempSync(join(tmpdir(), 'spanwise-diag-')), 'data');
  const services = createServices({ mode: 'web', dataDir });
  await services.clusters.create('lab', { mode: 'node', port: 3000 });
  if (options.settings) await services.settings.update({ ...services.settings.get().settings, ...options.settings }, false);
  const hosts = status.hosts.filter((h) => toSite(h) !== null);
  for (const host of hosts) {
    const jump = host.ssh.jump ? [parseJump(host.ssh.jump)] : [];
    services.machines.add({
      name: host.name,
      ssh: { user: 'root', host: host.ssh.host, port: host.ssh.port },
      auth: { identityFile: host.ssh.identityFile },
      jump,
      site: toSite(host) ?? 'cloud',
    });
  }
  const results: OnboardingResult[] = await services.onboarding.onboard(
    hosts.map((h) => h.name),
    { concurrency: hosts.length, hostKeys: { trustOnFirstUse: true, accept: {} } },
  );
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) {
    services.close();
    throw new Error(`onboarding failed: ${failed.map((r) => `${r.machine} at ${r.failedStep}: ${r.error?.code} ${r.error?.message}`).join('; ')}`);
  }
  return { services, dataDir, nodes: hosts.map((h) => h.name), close: () => services.close() };
}

function parseJump(jump: string): { user: string; host: string; port: number } {
  const m = /^([^@]+)@(.+):(\d+)$/.exec(jump);
  if (!m) throw new Error(`bad jump '${jump}'`);
  return { user: m[1] as string, host: m[2] as string, port: Number(m[3]) };
}

/** The state of `from`'s peer `to` in a status read. */
export function peerState(status: ClusterStatus, from: string, to: string): string | undefined {
  return status.nodes.find((n) => n.name === from)?.peers.find((p) => p.name === to)?.state;
}

/** Polls `status` until `done` holds for it, or the time runs out; returns the last status. */
export async function waitForStatus(services: Services, done: (status: ClusterStatus) => boolean, timeoutMs = 60_000): Promise<ClusterStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await services.status.status();
    if (done(status) || Date.now() > deadline) return status;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Whether both views of every listed pair are up. */
export const pairsUp =
  (pairs: Array<[string, string]>) =>
  (status: ClusterStatus): boolean =>
    pairs.every(([a, b]) => peerState(status, a, b) === 'up' && peerState(status, b, a) === 'up');

/** Every unordered pair of `names` that includes one of `hubs`. */
export function pairsWith(hubs: string[], names: string[]): Array<[string, string]> {
  return names.flatMap((a, i) =>
    names
      .slice(i + 1)
      .filter((b) => hubs.includes(a) || hubs.includes(b))
      .map((b): [string, string] => [a, b]),
  );
}

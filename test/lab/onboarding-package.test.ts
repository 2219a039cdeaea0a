import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../agent/shared/version.js';
import type { OnboardingProgress } from '../../electron/contract/onboarding.js';
import { createServices, type Services } from '../../electron/services/index.js';
import { checkoutResources } from '../../electron/services/paths.js';
import { prepareRuntimes } from '../../scripts/agent-runtime.js';
import { buildApp } from '../browser/build-renderer.js';
import { pairsUp, pairsWith, peerState, waitForStatus } from './diagnosis/lab-cluster.js';
import { labExec } from './index.js';
import { useLab } from './use-lab.js';

/**
 * Two Debian lab hosts onboarded with `--install package`: the desktop builds the agent's .deb
 * on demand, uploads it with byte progress, and dpkg installs it on each host; every pair comes
 * up. A re-run (auto, which keeps the package) uploads and installs nothing. `node remove` then
 * purges the package and leaves none of the agent's files or processes. Each host's /usr is a
 * private overlay, so dpkg changes only that host's view of it.
 */
const lab = useLab('all-open');
const hosts = ['cloud1', 'cloud2'];
const deb = `spanwise-agent_${VERSION}_amd64.deb`;
const events: OnboardingProgress[] = [];
let services: Services;

const onboard = (install: 'package' | 'auto') =>
  services.onboarding.onboard(hosts, { concurrency: 2, hostKeys: { trustOnFirstUse: true, accept: {} }, install });
const logOf = (from: OnboardingProgress[], machine: string) => from.filter((e) => e.machine === machine).flatMap((e) => e.log);
const uploads = (from: OnboardingProgress[], machine: string) => logOf(from, machine).filter((l) => /^package upload \d+\/\d+ bytes$/.test(l));
const dpkgStatus = async (host: string) => (await labExec(host, 'dpkg -s spanwise-agent 2>&1 | head -n 2', { allowFailure: true })).stdout;

beforeAll(async () => {
  buildApp();
  await prepareRuntimes(['x64']);
  for (const host of hosts)
    await labExec(
      host,
      'mkdir -p /tmp/usr.upper /tmp/usr.work && mount -n -t overlay overlay -o lowerdir=/usr,upperdir=/tmp/usr.upper,workdir=/tmp/usr.work /usr',
    );
  // The agent bundle of this run, kept apart: a rebuild of dist/ meanwhile would be a new agent to install.
  const work = mkdtempSync(join(tmpdir(), 'spanwise-package-'));
  copyFileSync(checkoutResources.agentBundle, join(work, 'spanwise-agent.mjs'));
  const agentFiles = { agentBundle: join(work, 'spanwise-agent.mjs'), agentUnit: checkoutResources.agentUnit };
  services = createServices({ mode: 'web', dataDir: join(work, 'data'), agentFiles });
  services.events.subscribe((event, payload) => {
    if (event === 'onboard:progress') events.push(payload as OnboardingProgress);
  });
  await services.clusters.create('package', { mode: 'node', node: 'cloud1', port: 3000 });
  for (const name of hosts) {
    const ssh = lab.host(name).ssh;
    services.machines.add({ name, ssh: { user: 'root', host: ssh.host, port: ssh.port }, auth: { identityFile: ssh.identityFile }, site: 'cloud' });
  }
}, 600_000);
afterAll(() => services?.close());

describe('onboarding through the agent package', () => {
  it('installs the .deb with dpkg on every host, uploaded with byte progress, and every pair comes up', async () => {
    const results = await onboard('package');
    expect(results.map((r) => [r.machine, r.ok, r.error?.message ?? ''])).toEqual(hosts.map((h) => [h, true, '']));
    for (const host of hosts) {
      expect(logOf(events, host)).toContain('installs the agent from its .deb package');
      expect(logOf(events, host).some((l) => l.startsWith(`installed spanwise-agent ${VERSION} from ${deb} with dpkg -i`))).toBe(true);
      const sent = uploads(events, host).map((l) => Number(/(\d+)\//.exec(l)![1]));
      expect(sent.length).toBeGreaterThan(1);
      expect(uploads(events, host).at(-1)).toMatch(/^package upload (\d+)\/\1 bytes$/);
      expect(await dpkgStatus(host)).toBe('Package: spanwise-agent\nStatus: install ok installed\n');
      expect((await labExec(host, 'readlink /proc/$(pgrep -f "spanwise-agent.mjs run" | head -n1)/exe')).stdout.trim()).toMatch(
        /^\/opt\/spanwise\/runtime\/[\d.]+\/node$/,
      );
    }
    // Each host's dpkg wrote only into its own /usr.
    expect((await labExec('cloud1', 'ls /tmp/usr.upper/bin')).stdout.trim()).toBe('spanwise-agent');
    const pairs = pairsWith(hosts, hosts);
    const status = await waitForStatus(services, pairsUp(pairs), 90_000);
    expect(pairs.map(([a, b]) => `${a}>${b} ${peerState(status, a, b)} ${peerState(status, b, a)}`)).toEqual(pairs.map(([a, b]) => `${a}>${b} up up`));
  });

  it('a re-run uploads and installs nothing', async () => {
    const stamp = async () => (await labExec('cloud1', 'stat -c %Y /var/lib/dpkg/info/spanwise-agent.list /opt/spanwise/spanwise-agent.mjs')).stdout;
    const before = await stamp();
    const from = events.length;
    const results = await onboard('auto');
    expect(results.every((r) => r.ok)).toBe(true);
    const again = events.slice(from);
    for (const host of hosts) {
      expect(uploads(again, host)).toEqual([]);
      expect(logOf(again, host).filter((l) => l.startsWith('installed spanwise-agent'))).toEqual([]);
      expect(logOf(again, host).some((l) => l.startsWith(`spanwise-agent ${VERSION} (.deb, agent `) && l.endsWith('already installed'))).toBe(true);
    }
    expect(again.filter((e) => e.step === 'upload' && e.state !== 'running').map((e) => [e.machine, e.state])).toEqual(
      expect.arrayContaining(hosts.map((h) => [h, 'skipped'])),
    );
    expect(await stamp()).toBe(before);
  });

  it('node remove purges the package and leaves nothing of the agent', async () => {
    expect(services.machines.get('cloud2').installMethod).toBe('package');
    const removed = await services.removal.remove('cloud2', false);
    expect(removed).toMatchObject({ cleaned: true });
    expect(await dpkgStatus('cloud2')).toMatch(/package 'spanwise-agent' is not installed/);
    const files = await labExec('cloud2', 'ls -d /etc/spanwise /var/lib/spanwise /opt/spanwise /usr/bin/spanwise-agent 2>/dev/null; true');
    expect(files.stdout).toBe('');
    expect((await labExec('cloud2', ['pgrep', '-af', 'spanwise-agent'], { allowFailure: true })).stdout).toBe('');
    expect(await dpkgStatus('cloud1')).toContain('Status: install ok installed');
  });
});

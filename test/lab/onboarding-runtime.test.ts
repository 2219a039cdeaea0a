import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnboardingProgress } from '../../electron/contract/onboarding.js';
import { createServices, type Services } from '../../electron/services/index.js';
import { pinnedRuntimes } from '../../electron/services/onboarding/runtime-manifest.js';
import { prepareRuntimes } from '../../scripts/agent-runtime.js';
import { buildApp } from '../browser/build-renderer.js';
import { labExec } from './index.js';
import { run } from './run.js';
import { useLab } from './use-lab.js';

/**
 * A host with no Node on its PATH (cloud1: the machine's `node` binaries hidden under /dev/null
 * inside the host) is onboarded with the other two in one call: the pinned runtime is uploaded
 * compressed with byte progress, checked and cached, the agent runs on it, every pair comes up,
 * and a re-run uploads nothing. cloud2 and cloud3 keep their own Node 24 and get none.
 */
const lab = useLab('all-open');
const hosts = ['cloud1', 'cloud2', 'cloud3'];
const runtime = pinnedRuntimes.x64;
const events: OnboardingProgress[] = [];
let services: Services;

const uploadLines = (from: OnboardingProgress[]) =>
  from
    .filter((e) => e.machine === 'cloud1' && e.step === 'upload')
    .flatMap((e) => e.log.map((line) => ({ state: e.state, match: /^runtime upload (\d+)\/(\d+) bytes$/.exec(line) })))
    .filter((l) => l.match)
    .map((l) => ({ state: l.state, sent: Number(l.match![1]), total: Number(l.match![2]) }));

async function upPairs(): Promise<string[]> {
  const status = await services.status.status();
  return status.nodes.flatMap((n) => n.peers.filter((p) => p.state === 'up').map((p) => `${n.name}>${p.name}`));
}

async function waitForEveryPair(): Promise<string[]> {
  const wanted = hosts.flatMap((a) => hosts.filter((b) => b !== a).map((b) => `${a}>${b}`));
  let up: string[] = [];
  for (const deadline = Date.now() + 90_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 2000))) {
    up = await upPairs();
    if (wanted.every((pair) => up.includes(pair))) return wanted;
  }
  return up;
}

const onboardAll = () => services.onboarding.onboard(hosts, { concurrency: 3, hostKeys: { trustOnFirstUse: true, accept: {} } });

beforeAll(async () => {
  buildApp();
  await prepareRuntimes(['x64']);
  await labExec('cloud1', 'mount --bind /dev/null /usr/local/bin/node && mount --bind /dev/null /usr/bin/node');
  services = createServices({ mode: 'web', dataDir: join(mkdtempSync(join(tmpdir(), 'spanwise-runtime-')), 'data') });
  services.events.subscribe((event, payload) => {
    if (event === 'onboard:progress') events.push(payload as OnboardingProgress);
  });
  await services.clusters.create('runtime', { mode: 'node', node: 'cloud1', port: 3000 });
  for (const name of hosts) {
    const ssh = lab.host(name).ssh;
    services.machines.add({ name, ssh: { user: 'root', host: ssh.host, port: ssh.port }, auth: { identityFile: ssh.identityFile }, site: 'cloud' });
  }
}, 600_000);
afterAll(() => services?.close());

describe('onboarding a host without Node', () => {
  it('hides node on cloud1 only', async () => {
    expect((await labExec('cloud1', 'command -v node || echo none')).stdout.trim()).toBe('none');
    expect((await labExec('cloud2', 'node --version')).stdout.trim()).toMatch(/^v24\./);
    expect((await run(['sh', '-c', 'command -v node'])).stdout.trim()).not.toBe('');
  });

  it('uploads the runtime to it with byte progress, and the agent runs on it; every pair comes up', async () => {
    const results = await onboardAll();
    expect(results.map((r) => [r.machine, r.ok, r.error?.message ?? ''])).toEqual(hosts.map((h) => [h, true, '']));
    const lines = uploadLines(events);
    expect(lines.length).toBeGreaterThan(1);
    const total = lines[0]!.total;
    expect(lines.every((l) => l.total === total)).toBe(true);
    expect(lines.map((l) => l.sent)).toEqual([...lines.map((l) => l.sent)].sort((a, b) => a - b));
    expect(lines.at(-1)!.sent).toBe(total);
    // Sent while the step runs, not only in its final event.
    expect(lines.filter((l) => l.state === 'running').length).toBeGreaterThan(0);
    for (const other of ['cloud2', 'cloud3'])
      expect(
        events
          .filter((e) => e.machine === other)
          .flatMap((e) => e.log)
          .filter((l) => l.startsWith('runtime upload')),
      ).toEqual([]);

    const binary = `/opt/spanwise/runtime/${runtime.version}/node`;
    expect((await labExec('cloud1', `readlink /opt/spanwise/bin/node; sha256sum ${binary} | cut -d' ' -f1`)).stdout).toBe(`${binary}\n${runtime.nodeSha256}\n`);
    expect((await labExec('cloud2', 'readlink /opt/spanwise/bin/node')).stdout.trim()).toBe('/usr/local/bin/node');
    const agentExe = await labExec('cloud1', `readlink /proc/$(pgrep -f 'spanwise-agent.mjs run' | head -n1)/exe`);
    expect(agentExe.stdout.trim()).toBe(binary);
    expect(await waitForEveryPair()).toEqual(hosts.flatMap((a) => hosts.filter((b) => b !== a).map((b) => `${a}>${b}`)));
  });

  it('a re-run uploads nothing', async () => {
    const from = events.length;
    const results = await onboardAll();
    expect(results.every((r) => r.ok)).toBe(true);
    const again = events.slice(from);
    expect(uploadLines(again)).toEqual([]);
    expect(again.filter((e) => e.step === 'upload' && e.state !== 'running').map((e) => [e.machine, e.state])).toEqual(
      expect.arrayContaining(hosts.map((h) => [h, 'skipped'])),
    );
    expect(again.filter((e) => e.machine === 'cloud1').flatMap((e) => e.log)).toContain(
      `Node ${runtime.version} runtime already cached at /opt/spanwise/runtime/${runtime.version}/node`,
    );
  });
});

// Onboarding time on the lab, packages already present (lab hosts share /usr).
// Discovery runs in this process on the lab's desktop address, so no host waits for another.
//   1. One host alone, against the issue's 5 s.
//   2. Eight hosts in parallel against one alone, each host with its own CPU budget
//      (a cgroup of HOST_CORES), as eight separate machines would have.
//   3. For reference, eight hosts sharing this machine's cores without budgets: then the
//      figure is the sum of all hosts' CPU work divided by two cores, not onboarding's parallelism.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, startDiscoveryServer } from '../agent/discovery/server/index.js';
import { createServices } from '../electron/services/index.js';
import { upLab } from '../test/lab/builder.js';
import { downLab } from '../test/lab/cleanup.js';
import type { LabStatus } from '../test/lab/status.js';
import { buildApp } from '../test/browser/build-renderer.js';
import { limitHostCpu } from './host-cpu-limit.js';
import { labIsFree } from './lab-guard.js';
import { report } from './report.js';

async function onboard(status: LabStatus, names: string[], discoveryUrl: string): Promise<number> {
  const services = createServices({ mode: 'web', dataDir: join(mkdtempSync(join(tmpdir(), 'spanwise-bench-onboard-')), 'data') });
  try {
    await services.clusters.create('bench', { mode: 'url', url: discoveryUrl });
    for (const name of names) {
      const ssh = status.hosts.find((h) => h.name === name)?.ssh;
      if (!ssh) throw new Error(`no lab host ${name}`);
      services.machines.add({ name, ssh: { user: 'root', host: ssh.host, port: ssh.port }, auth: { identityFile: ssh.identityFile }, site: 'cloud' });
    }
    const startedAt = new Map<string, number>();
    const spent = new Map<string, number[]>();
    services.events.subscribe((event, payload) => {
      if (event !== 'onboard:progress') return;
      const p = payload as { machine: string; step: string; state: string };
      const key = `${p.machine}/${p.step}`;
      if (p.state === 'running') startedAt.set(key, performance.now());
      else spent.set(p.step, [...(spent.get(p.step) ?? []), performance.now() - (startedAt.get(key) ?? performance.now())]);
    });
    const started = performance.now();
    const results = await services.onboarding.onboard(names, { concurrency: names.length, hostKeys: { trustOnFirstUse: true, accept: {} } });
    const elapsed = (performance.now() - started) / 1000;
    console.log(
      `# ${names.length} host(s), mean ms per step: ${[...spent].map(([step, ms]) => `${step} ${Math.round(ms.reduce((a, b) => a + b, 0) / ms.length)}`).join(', ')}`,
    );
    const failed = results.filter((r) => !r.ok);
    if (failed.length) throw new Error(`onboarding failed: ${failed.map((f) => `${f.machine} at ${f.failedStep}: ${f.error?.message}`).join('; ')}`);
    return elapsed;
  } finally {
    services.close();
  }
}

/** CPU budget per lab host: eight of them leave this 2-core machine 0.4 CPU for the desktop side. */
const HOST_CORES = 0.2;

async function main(): Promise<number> {
  if (!(await labIsFree('onboarding'))) return 1;
  buildApp();
  const fleet = Array.from({ length: 8 }, (_, i) => `cloud${i + 1}`);
  try {
    const round = async (names: string[], hostCores?: number) => {
      const status = await upLab('fleet8', { fresh: true });
      const release = hostCores
        ? limitHostCpu(
            status.hosts.filter((h) => names.includes(h.name)),
            hostCores,
          )
        : () => {};
      const discovery = await startDiscoveryServer({ listen: `${status.desktop.address}:0`, logger: silentLogger });
      try {
        return await onboard(status, names, `http://${status.desktop.address}:${discovery.port}`);
      } finally {
        await discovery.stop();
        release();
      }
    };
    const one = await round(['cloud1']);
    const oneBudget = await round(['cloud1'], HOST_CORES);
    const eightBudget = await round(fleet, HOST_CORES);
    const eightShared = await round(fleet);
    report('onboard one lab host, packages present (baseline: issue target 5 s)', one, 's', 5, '< 5 s');
    report(
      `onboard eight lab hosts in parallel, ${HOST_CORES} CPU each (baseline: one host alone, ${HOST_CORES} CPU)`,
      eightBudget,
      's',
      oneBudget,
      '< 2x one host',
    );
    report('onboard eight lab hosts in parallel, all sharing 2 CPUs (baseline: one host alone, unlimited)', eightShared, 's', one);
  } finally {
    await downLab();
  }
  return 0;
}

process.exitCode = await main();

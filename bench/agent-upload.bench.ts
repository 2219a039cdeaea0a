// The cost of shipping the agent's own Node: the upload step of onboarding on a lab host with no
// Node (the runtime, compressed, plus the bundle) against one with a suitable Node (the bundle
// alone, the baseline), in bytes and seconds. One host at a time, so neither shares the link.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, startDiscoveryServer } from '../agent/discovery/server/index.js';
import { createServices } from '../electron/services/index.js';
import { readAgentBundle } from '../electron/services/agent-bundle.js';
import { checkoutResources } from '../electron/services/paths.js';
import { prepareRuntimes } from '../scripts/agent-runtime.js';
import { upLab } from '../test/lab/builder.js';
import { downLab } from '../test/lab/cleanup.js';
import { labExec } from '../test/lab/exec.js';
import { buildApp } from '../test/browser/build-renderer.js';
import { labIsFree } from './lab-guard.js';
import { report } from './report.js';

async function main(): Promise<number> {
  if (!(await labIsFree('agent-upload'))) return 1;
  buildApp();
  const [runtime] = await prepareRuntimes(['x64']);
  try {
    const status = await upLab('all-open', { fresh: true });
    await labExec('cloud1', 'mount --bind /dev/null /usr/local/bin/node && mount --bind /dev/null /usr/bin/node');
    const discovery = await startDiscoveryServer({ listen: `${status.desktop.address}:0`, logger: silentLogger });
    const services = createServices({ mode: 'web', dataDir: join(mkdtempSync(join(tmpdir(), 'spanwise-bench-upload-')), 'data') });
    try {
      await services.clusters.create('bench', { mode: 'url', url: `http://${status.desktop.address}:${discovery.port}` });
      const started = new Map<string, number>();
      const spent = new Map<string, number>();
      services.events.subscribe((event, payload) => {
        const p = payload as { machine: string; step: string; state: string };
        if (event !== 'onboard:progress' || p.step !== 'upload') return;
        if (p.state === 'running') started.set(p.machine, started.get(p.machine) ?? performance.now());
        else spent.set(p.machine, (performance.now() - (started.get(p.machine) ?? performance.now())) / 1000);
      });
      for (const name of ['cloud1', 'cloud2']) {
        const ssh = status.hosts.find((h) => h.name === name)!.ssh;
        services.machines.add({ name, ssh: { user: 'root', host: ssh.host, port: ssh.port }, auth: { identityFile: ssh.identityFile }, site: 'cloud' });
        const [result] = await services.onboarding.onboard([name], { concurrency: 1, hostKeys: { trustOnFirstUse: true, accept: {} } });
        if (!result?.ok) throw new Error(`onboarding ${name} failed at ${result?.failedStep}: ${result?.error?.message}`);
      }
      const bundle = (await readAgentBundle(checkoutResources))!;
      const archive = runtime!.xz ?? runtime!.gz;
      report('agent upload size, own runtime (xz) + bundle (baseline: bundle only)', archive.bytes + bundle.bytes.length, 'bytes', bundle.bytes.length);
      report('agent upload step time, own runtime + bundle (baseline: bundle only, host has Node)', spent.get('cloud1')!, 's', spent.get('cloud2')!);
    } finally {
      services.close();
      await discovery.stop();
    }
  } finally {
    await downLab();
  }
  return 0;
}

process.exitCode = await main();

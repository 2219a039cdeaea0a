import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { upLab } from './builder.js';
import { downLab } from './cleanup.js';
import { labExec } from './exec.js';
import { run, sleep } from './run.js';
import { snapshotMachine } from './snapshot.js';
import { labStatus } from './status.js';

function isLive(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) [ZX]/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('lab lifecycle', () => {
  it('up then down, twice, leaves namespaces, links, nftables, processes and mounts as before', async () => {
    const before = await snapshotMachine();
    for (let i = 0; i < 2; i++) {
      const lab = await upLab('hybrid', { fresh: true });
      expect(lab.up).toBe(true);
      // Something for down to clean: a daemon inside a host, as the agent will start.
      await labExec('dc1', ['wireguard-go', 'kubespan']);
      const during = await snapshotMachine();
      expect(during.namespaces).toContain('swlab-dc1');
      expect(during.links).toContain('swlab-desk');
      expect(during.processes.some((p) => p.endsWith('wireguard-go kubespan'))).toBe(true);
      expect(during.run).toContain('spanwise-lab');
      await downLab();
    }
    const after = await snapshotMachine();
    expect(after).toEqual(before);
    expect((await labStatus()).phase).toBe('down');
  });

  it('up is idempotent: the same healthy scenario is reused, --fresh rebuilds', async () => {
    const first = await upLab('all-open', { fresh: true });
    const again = await upLab('all-open');
    expect(again.hosts.map((h) => h.pid)).toEqual(first.hosts.map((h) => h.pid));
    const fresh = await upLab('all-open', { fresh: true });
    expect(fresh.hosts.map((h) => h.pid)).not.toEqual(first.hosts.map((h) => h.pid));
    await downLab();
  });

  it('up first removes what a crashed run left', async () => {
    const crashed = await upLab('all-open', { fresh: true });
    // A host died and a stray namespace with a process in it was left behind.
    process.kill(crashed.hosts[1]!.pid, 'SIGKILL');
    await run(['ip', 'netns', 'add', 'swlab-stray']);
    const stray = spawn('ip', ['netns', 'exec', 'swlab-stray', 'sleep', '300'], { stdio: 'ignore' });
    await sleep(100);
    const broken = await labStatus();
    expect(broken.up).toBe(false);
    expect(broken.hosts.filter((h) => !h.running).map((h) => h.name)).toEqual([crashed.hosts[1]!.name]);

    const rebuilt = await upLab('all-open');
    expect(rebuilt.up).toBe(true);
    expect((await run(['ip', 'netns', 'list'])).stdout).not.toContain('swlab-stray');
    await new Promise((resolve) => (stray.exitCode !== null || stray.signalCode !== null ? resolve(null) : stray.once('exit', resolve)));
    expect(stray.signalCode).toBe('SIGKILL');
    // The old hosts' processes are gone (or at most zombies awaiting their reaper).
    for (const h of crashed.hosts) expect(isLive(h.pid), `old ${h.name} pid ${h.pid}`).toBe(false);
    await downLab();
  });

  it('replaces a different scenario that is up', async () => {
    await upLab('blocked-api', { fresh: true });
    const lab = await upLab('hard-nat');
    expect(lab.scenario).toBe('hard-nat');
    const names = (await run(['ip', 'netns', 'list'])).stdout;
    expect(names).not.toContain('swlab-cloud3');
    expect(names).toContain('swlab-home-gw');
    await downLab();
  });
});

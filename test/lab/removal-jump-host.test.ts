import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostPaths } from '../../agent/shared/host-paths.js';
import type { ClusterStatus } from '../../electron/contract/status.js';
import { agentTargets } from '../../electron/services/removal/leftovers.js';
import { spanwise } from '../support/spanwise-cli.js';
import { labExec } from './index.js';
import { useLab } from './use-lab.js';

const lab = useLab('hybrid');
const dataDir = join(mkdtempSync(join(tmpdir(), 'spanwise-removal-')), 'data');
const cli = (args: string[]) => spanwise(dataDir, args);

async function status(): Promise<ClusterStatus> {
  const result = await cli(['status', '--json']);
  return JSON.parse(result.stdout) as ClusterStatus;
}

describe('removing a node reached through its jump host', () => {
  it('onboards cloud1 and edge1 (through its jump host), and cloud1 sees edge1 as a peer', async () => {
    expect((await cli(['cluster', 'create', 'lab'])).code).toBe(0);
    for (const name of ['cloud1', 'edge1']) {
      const ssh = lab.host(name).ssh;
      const jump = ssh.jump ? ['--jump', ssh.jump] : [];
      const site = name === 'edge1' ? 'edge' : 'cloud';
      const added = await cli(['node', 'add', name, '--ssh', `root@${ssh.host}:${ssh.port}`, '--identity', ssh.identityFile, ...jump, '--site', site]);
      expect(added.stderr).toBe('');
    }
    expect(lab.host('edge1').ssh.jump).toBeTruthy();
    const onboarded = await cli(['node', 'onboard', '--all', '--trust-on-first-use']);
    expect(onboarded.stdout).toContain('edge1: onboarded');
    expect(onboarded.code).toBe(0);
    const running = await labExec('edge1', `cat ${hostPaths.runtimeDir}/agent.pid`);
    expect(running.stdout.trim()).toMatch(/^\d+$/);
    let peers: string[] = [];
    for (let attempt = 0; attempt < 30 && !peers.includes('edge1'); attempt += 1) {
      peers = (await status()).nodes.find((n) => n.name === 'cloud1')?.peers.map((p) => p.name) ?? [];
      if (!peers.includes('edge1')) await new Promise((r) => setTimeout(r, 1000));
    }
    expect(peers).toContain('edge1');
  });

  it('a removal that cannot delete everything keeps the node and names what is left; its agent is stopped all the same', async () => {
    // A mount over the log dir: rm -rf empties it but cannot remove it.
    await labExec('edge1', `mkdir -p ${hostPaths.logDir} && mount -t tmpfs tmpfs ${hostPaths.logDir}`);
    const removed = await cli(['node', 'remove', 'edge1']);
    expect(removed.code).not.toBe(0);
    expect(removed.stderr).toContain(`edge1 is not removed: its host still has file ${hostPaths.logDir}`);
    expect(removed.stderr).not.toContain('process');
    expect(removed.stderr).toContain('spanwise node cleanup edge1');
    const list = await cli(['node', 'list', '-o', 'json']);
    expect((JSON.parse(list.stdout) as Array<{ name: string; state: string }>).find((m) => m.name === 'edge1')?.state).toBe('failed');
    await labExec('edge1', `umount ${hostPaths.logDir}`);
  });

  it('node cleanup finishes it: the host has no agent process, service, boot hook, file or link', async () => {
    const cleaned = await cli(['node', 'cleanup', 'edge1', '-o', 'json']);
    expect(cleaned.stderr).toBe('');
    expect(JSON.parse(cleaned.stdout)).toEqual({ machine: 'edge1', cleaned: true, left: [] });
    const processes = await labExec(
      'edge1',
      `for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < $f 2>/dev/null; echo; done | grep -E 'spanwise-agent( |\\.mjs)' || true`,
    );
    expect(processes.stdout.trim()).toBe('');
    const files = await labExec('edge1', `for p in ${agentTargets.paths.join(' ')}; do [ -e "$p" ] && echo "$p"; done; ip link show kubespan 2>&1 || true`);
    expect(files.stdout.trim()).toMatch(/does not exist/);
    expect(files.stdout).not.toMatch(/^\//m);
    const boot = await labExec('edge1', 'cat /etc/rc.local /etc/cron.d/spanwise-agent 2>/dev/null || true');
    expect(boot.stdout).not.toContain('spanwise');
  });

  it('edge1 is gone from the inventory and from status, and cloud1 no longer has it as a peer', async () => {
    const list = await cli(['node', 'list', '-o', 'json']);
    expect((JSON.parse(list.stdout) as Array<{ name: string }>).map((m) => m.name)).toEqual(['cloud1']);
    let after = await status();
    for (let attempt = 0; attempt < 30 && after.nodes.some((n) => n.peers.some((p) => p.name === 'edge1')); attempt += 1) {
      await new Promise((r) => setTimeout(r, 1000));
      after = await status();
    }
    expect(after.nodes.map((n) => n.name)).toEqual(['cloud1']);
    expect(after.nodes[0]?.peers.map((p) => p.name)).not.toContain('edge1');
  });
});

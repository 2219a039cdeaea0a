import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { labExec } from './exec.js';
import { run } from './run.js';
import { sshRun } from './ssh-client.js';
import { useLab } from './use-lab.js';

// Each host is its own machine as far as the agent can tell: hostname,
// addresses, MTU, and private config, state, install, runtime and temp dirs.
describe('host isolation in hybrid', () => {
  const lab = useLab('hybrid');
  const dirs = ['/etc/spanwise', '/var/lib/spanwise', '/opt/spanwise', '/run/spanwise', '/tmp/spanwise', '/root/spanwise'];

  it('gives each host its hostname, address and link MTU', async () => {
    for (const h of lab.status.hosts) {
      expect((await labExec(h.name, 'hostname')).stdout.trim()).toBe(h.name);
      const ifname = h.site === 'gateway' ? 'wan' : 'eth0';
      const link = (await labExec(h.name, ['ip', '-o', 'link', 'show', ifname])).stdout;
      expect(link).toContain(`mtu ${h.mtu} `);
      expect(link).toContain(h.mac);
      const addr = (await labExec(h.name, ['ip', '-o', '-4', 'addr', 'show'])).stdout;
      expect(addr).toContain(h.publicAddress ?? (h.privateAddress as string));
    }
    expect(lab.host('edge1').mtu).toBe(1492);
  });

  it('keeps the agent dirs private per host, seen the same over SSH and lab exec', async () => {
    for (const d of dirs) {
      await labExec('cloud1', `mkdir -p ${d} && echo cloud1 > ${d}/owner`);
      expect((await sshRun(lab.status, 'cloud1', `cat ${d}/owner`)).stdout.trim()).toBe('cloud1');
      expect((await labExec('cloud2', ['test', '-e', `${d}/owner`], { allowFailure: true })).code).toBe(1);
      expect((await sshRun(lab.status, 'dc1', `test -e ${d}/owner`)).code).toBe(1);
      expect(existsSync(`${d}/owner`)).toBe(false);
    }
  });

  it('runs wireguard-go per host, each with its own /var/run/wireguard/kubespan.sock', async () => {
    for (const h of ['cloud1', 'edge1']) {
      await labExec(h, ['wireguard-go', 'kubespan']);
      expect((await labExec(h, ['test', '-S', '/var/run/wireguard/kubespan.sock'], { allowFailure: true })).code).toBe(0);
      expect((await labExec(h, ['wg', 'show', 'kubespan', 'listen-port'])).stdout.trim()).toMatch(/^\d+$/);
    }
    expect((await labExec('cloud2', ['test', '-e', '/var/run/wireguard/kubespan.sock'], { allowFailure: true })).code).toBe(1);
    // The sockets live in each host's private /run, under the lab state dir.
    for (const h of ['cloud1', 'edge1']) expect(existsSync(`${lab.status.stateDir}/hosts/${h}/run/wireguard/kubespan.sock`)).toBe(true);
    expect(existsSync(`${lab.status.stateDir}/hosts/cloud2/run/wireguard`)).toBe(false);
    const ps = await run(['ps', '-e', '-o', 'comm=']);
    expect(ps.stdout.split('\n').filter((c) => c === 'wireguard-go').length).toBeGreaterThanOrEqual(2);
  });

  it('sees only its own processes and network', async () => {
    const ps = (await labExec('dc1', ['ps', '-e', '-o', 'pid=,comm='])).stdout
      .trim()
      .split('\n')
      .map((l) => l.trim());
    expect(ps[0]).toMatch(/^1 sshd$/);
    expect(ps.some((l) => l.endsWith('wireguard-go'))).toBe(false);
    const links = (await labExec('dc1', ['ip', '-o', 'link'])).stdout
      .trim()
      .split('\n')
      .map((l) => l.split(':')[1]?.trim().split('@')[0]);
    expect(links).toEqual(['lo', 'eth0']);
  });
});

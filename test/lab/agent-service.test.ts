import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnboardingProgress } from '../../electron/contract/onboarding.js';
import { createServices, type Services } from '../../electron/services/index.js';
import { supervisedStop } from '../../electron/services/onboarding/supervisor.js';
import { hostPaths } from '../../agent/shared/host-paths.js';
import { KUBESPAN } from '../../agent/wireguard/types.js';
import { buildApp } from '../browser/build-renderer.js';
import { labExec } from './index.js';
import { useLab } from './use-lab.js';

/**
 * The agent's service where the host has neither systemd nor OpenRC (the lab's hosts: no init runs
 * as PID 1 there, so the systemd unit's sandbox cannot be applied; README, "The agent's service",
 * says which settings are exercised here and which only by systemd-analyze). Onboarding starts
 * `supervise` with a boot hook; the log is /var/log/spanwise/agent.log with time and level on every
 * line; after a simulated reboot the hook brings the agent back; and the agent programs its mesh
 * with only the unit's capability bounding set, no new privileges and umask 077.
 */
const lab = useLab('all-open');
const hosts = ['cloud1', 'cloud2'];
const logs = new Map<string, string[]>();
let services: Services;

/** CAP_NET_ADMIN (12) and CAP_NET_BIND_SERVICE (10): the unit's CapabilityBoundingSet=. */
const UNIT_CAPABILITIES = (1n << 12n) | (1n << 10n);

async function upPairs(): Promise<string[]> {
  const status = await services.status.status();
  return status.nodes.flatMap((n) => n.peers.filter((p) => p.state === 'up').map((p) => `${n.name}>${p.name}`));
}

async function waitForPairs(required: string[], timeoutMs = 90_000): Promise<string[]> {
  let up: string[] = [];
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 2000))) {
    up = await upPairs();
    if (required.every((pair) => up.includes(pair))) break;
  }
  return up;
}

/** The pid of the supervised agent (`run`), the supervisor's child. */
async function agentPid(host: string): Promise<number> {
  const supervisor = (await labExec(host, `cat ${hostPaths.runtimeDir}/agent.pid`)).stdout.trim();
  return Number((await labExec(host, `pgrep -P ${supervisor} -f ' run --config'`)).stdout.trim());
}

/** Stops the supervised agent and checks that no agent process is left. */
async function stopped(host: string): Promise<void> {
  await labExec(host, supervisedStop('agent'));
  const left = (await labExec(host, `pgrep -af '[s]panwise-agent.mjs (supervise|run)' || true`)).stdout.trim();
  expect(left, 'agent processes left after the stop').toBe('');
}

/** Waits until the agent's local API answers with its identity. */
async function answers(host: string): Promise<void> {
  for (let i = 0; i < 150; i += 1) {
    const get = await labExec(host, `${hostPaths.agent} get identities -o json`, { allowFailure: true });
    if (get.code === 0 && get.stdout.includes('"address"')) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the agent on ${host} does not answer: ${(await labExec(host, `tail -n 5 ${hostPaths.logDir}/agent.log`, { allowFailure: true })).stdout}`);
}

beforeAll(async () => {
  buildApp();
  services = createServices({ mode: 'web', dataDir: join(mkdtempSync(join(tmpdir(), 'spanwise-agent-service-')), 'data') });
  services.events.subscribe((event, payload) => {
    if (event !== 'onboard:progress') return;
    const p = payload as OnboardingProgress;
    logs.set(p.machine, [...(logs.get(p.machine) ?? []), ...p.log]);
  });
  await services.clusters.create('service', { mode: 'node', node: 'cloud1', port: 3000 });
  for (const name of hosts) {
    const root = lab.host(name).ssh;
    services.machines.add({ name, ssh: { user: 'root', host: root.host, port: root.port }, auth: { identityFile: root.identityFile }, site: 'cloud' });
  }
}, 180_000);
afterAll(async () => services?.close());

describe('the agent as a service on a host without systemd or OpenRC', () => {
  it('is supervised with a boot hook, said in the onboarding log, and logs with time and level to /var/log/spanwise', async () => {
    const results = await services.onboarding.onboard(hosts, { concurrency: 2, hostKeys: { trustOnFirstUse: true, accept: {} } });
    expect(results.map((r) => [r.machine, r.ok, r.error?.message ?? ''])).toEqual(hosts.map((h) => [h, true, '']));
    for (const host of hosts) {
      expect(logs.get(host)?.join('\n')).toMatch(
        /agent: (started|already running), logging to \/var\/log\/spanwise\/agent\.log; back after a reboot through (@reboot in \/etc\/cron\.d\/spanwise-agent|a line in \/etc\/rc\.local)/,
      );
      const log = `${hostPaths.logDir}/agent.log`;
      expect((await labExec(host, `stat -c %a ${log}`)).stdout.trim()).toBe('600');
      const lines = (await labExec(host, `cat ${log}`)).stdout.trim().split('\n');
      expect(lines.join('\n')).toContain(' info agent started ');
      for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (debug|info|warn|error) /);
    }
    expect(await waitForPairs(['cloud1>cloud2', 'cloud2>cloud1'])).toEqual(expect.arrayContaining(['cloud1>cloud2', 'cloud2>cloud1']));
  }, 240_000);

  it('comes back through its boot hook after a reboot', async () => {
    const hook = (
      await labExec('cloud2', `sed -n 's/^@reboot root //p' /etc/cron.d/spanwise-agent 2>/dev/null; grep ' # spanwise-agent$' /etc/rc.local 2>/dev/null; true`)
    ).stdout.trim();
    expect(hook).toContain(`${hostPaths.agent} supervise --pid-file ${hostPaths.runtimeDir}/agent.pid`);
    // A reboot: the agent is gone and /run is empty, then init runs the hook.
    await stopped('cloud2');
    await labExec('cloud2', `rm -rf ${hostPaths.runtimeDir}`);
    expect((await labExec('cloud2', `${hostPaths.agent} get identities`, { allowFailure: true })).code).not.toBe(0);
    await labExec('cloud2', hook.replace(/ # spanwise-agent$/, ''));
    await answers('cloud2');
  }, 60_000);

  it("programs its mesh with only the unit's capability bounding set, no new privileges and umask 077", async () => {
    await stopped('cloud2');
    const before = Number((await labExec('cloud2', `wc -l < ${hostPaths.logDir}/agent.log`)).stdout.trim());
    await labExec(
      'cloud2',
      `umask 077; setsid -f setpriv --bounding-set=-all,+net_admin,+net_bind_service --no-new-privs -- ${hostPaths.agent} supervise --pid-file ${hostPaths.runtimeDir}/agent.pid --log-file ${hostPaths.logDir}/agent.log -- run --config ${hostPaths.config} </dev/null >/dev/null 2>&1`,
    );
    await answers('cloud2');
    const status = (await labExec('cloud2', `cat /proc/${await agentPid('cloud2')}/status`)).stdout;
    expect(BigInt(`0x${/^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1] ?? ''}`)).toBe(UNIT_CAPABILITIES);
    expect(BigInt(`0x${/^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1] ?? ''}`)).toBe(UNIT_CAPABILITIES);
    expect(status).toMatch(/^NoNewPrivs:\s*1$/m);
    expect(status).toMatch(/^Umask:\s*0077$/m);
    // ip, wg, nft and wireguard-go did their work under those capabilities: the link, its key and port, the routes and the nftables table.
    const since = async () => (await labExec('cloud2', `tail -n +${before + 1} ${hostPaths.logDir}/agent.log`)).stdout;
    for (let i = 0; i < 100 && !(await since()).includes(' info mesh updated '); i += 1) await new Promise((r) => setTimeout(r, 200));
    const lines = await since();
    expect(lines).toMatch(/ info mesh updated .*routingChanged=true firewallChanged=true/);
    // Node's DEP0123 (no SNI for an IP address: the TLS discovery service reached by address) is no permission problem.
    const problems = lines
      .split('\n')
      .filter((line) => !line.includes('code=DEP0123'))
      .join('\n');
    expect(problems).not.toMatch(/controller failed controller=(manager|hostnetwork|identity|peerstatus)|EPERM|not permitted|ermission denied/);
    expect((await labExec('cloud2', `wg show ${KUBESPAN.link} listen-port`)).stdout.trim()).toBe('51820');
    expect((await labExec('cloud2', `nft list table inet ${KUBESPAN.nftTable}`)).code).toBe(0);
    // Its files are its own: nothing it wrote since is open to others.
    expect((await labExec('cloud2', `find ${hostPaths.runtimeDir} -newer ${hostPaths.runtimeDir}/agent.pid -type f -perm /077`)).stdout.trim()).toBe('');
  }, 150_000);
});

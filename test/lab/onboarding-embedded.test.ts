import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OnboardingProgress } from '../../electron/contract/onboarding.js';
import type { ClusterStatus } from '../../electron/contract/status.js';
import { stateFileOf } from '../../electron/services/discovery/files.js';
import { createServices, type Services } from '../../electron/services/index.js';
import { spanwise } from '../support/spanwise-cli.js';
import { DESKTOP_ADDRESS, labExec } from './index.js';
import { useLab } from './use-lab.js';

/**
 * Embedded discovery end to end: the desktop's services run here, in the root namespace (the
 * desktop, 198.18.0.2 on `swlab-desk`), serve discovery in-process, and onboard cloud1, cloud2
 * (direct) and edge1 (through its jump host, behind NAT). The nodes register with that
 * discovery and their tunnels come up.
 */
const lab = useLab('hybrid');
const dataDir = join(mkdtempSync(join(tmpdir(), 'spanwise-embedded-')), 'data');
const hosts = ['cloud1', 'cloud2', 'edge1'];
const open: Services[] = [];
let port = 0;
const logs = new Map<string, string[]>();

function start(): Services {
  const services = createServices({ mode: 'web', dataDir, discovery: 'follow' });
  services.events.subscribe((event, payload) => {
    if (event !== 'onboard:progress') return;
    const p = payload as OnboardingProgress;
    logs.set(p.machine, [...(logs.get(p.machine) ?? []), ...p.log, ...(p.error ? [`error: ${p.error.message}`] : [])]);
  });
  open.push(services);
  return services;
}

async function stop(services: Services): Promise<void> {
  open.splice(open.indexOf(services), 1);
  await services.discovery.close();
  services.close();
}

afterAll(async () => {
  for (const s of [...open]) await stop(s);
});

const target = (text: string) => {
  const m = /^(.+)@(.+):(\d+)$/.exec(text);
  if (!m) throw new Error(`bad jump ${text}`);
  return { user: m[1] as string, host: m[2] as string, port: Number(m[3]) };
};

async function upPairs(services: Services): Promise<string[]> {
  const status: ClusterStatus = await services.status.status();
  return status.nodes.flatMap((n) => n.peers.filter((p) => p.state === 'up').map((p) => `${n.name}>${p.name}`));
}

async function waitForPairs(services: Services, required: string[], timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let up: string[] = [];
  while (Date.now() < deadline) {
    up = await upPairs(services);
    if (required.every((pair) => up.includes(pair))) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  return up;
}

const pairs = ['cloud1>cloud2', 'cloud2>cloud1', 'edge1>cloud1', 'cloud1>edge1', 'edge1>cloud2', 'cloud2>edge1'];

function addHosts(services: Services, names: string[]): void {
  for (const name of names) {
    const ssh = lab.host(name).ssh;
    services.machines.add({
      name,
      ssh: { user: 'root', host: ssh.host, port: ssh.port },
      auth: { identityFile: ssh.identityFile },
      jump: ssh.jump ? [target(ssh.jump)] : [],
      site: name.startsWith('edge') ? 'edge' : 'cloud',
    });
  }
}

describe('embedded discovery on the hybrid lab', () => {
  it('stops before writing the agent config when the node cannot reach the address set for the cluster, naming it', async () => {
    const free = createServer().listen(0, DESKTOP_ADDRESS);
    await new Promise((r) => free.once('listening', r));
    port = (free.address() as AddressInfo).port;
    await new Promise((r) => free.close(r));

    const services = start();
    await services.clusters.create('unreachable', { mode: 'embedded', port, address: '198.18.0.99' });
    expect((await services.discovery.sync())?.state).toBe('running');
    addHosts(services, ['cloud1']);
    const [result] = await services.onboarding.onboard(['cloud1'], { concurrency: 1, hostKeys: { trustOnFirstUse: true, accept: {} } });
    expect(result).toMatchObject({ ok: false, failedStep: 'config', error: { code: 'DISCOVERY_UNREACHABLE_FROM_NODE' } });
    expect(result?.error?.message).toContain(`cloud1 cannot open TCP ${port} to this app's discovery (198.18.0.99: `);
    expect(result?.error?.hint).toContain('--discovery-address');
    expect((await labExec('cloud1', 'test -e /etc/spanwise/agent.yaml', { allowFailure: true })).code).not.toBe(0);
    services.clusters.delete('unreachable');
    expect(await services.discovery.sync()).toBeNull();
    expect(existsSync(stateFileOf(dataDir, 'unreachable'))).toBe(false);
  });

  it('serves discovery from the desktop process and onboards two cloud hosts and an edge host behind NAT', async () => {
    const services = open[0] as Services;
    await services.clusters.create('lan', { mode: 'embedded', port });
    expect((await services.discovery.sync())?.state).toBe('running');
    addHosts(services, hosts);
    const started = Date.now();
    const results = await services.onboarding.onboard(hosts, { concurrency: 3, hostKeys: { trustOnFirstUse: true, accept: {} } });
    console.log(`onboarding 3 hosts with embedded discovery: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(results.map((r) => [r.machine, r.ok, r.error?.message ?? ''])).toEqual(hosts.map((h) => [h, true, '']));

    const url = `http://${DESKTOP_ADDRESS}:${port}`;
    expect(logs.get('cloud1')?.join('\n')).toContain(`discovery: this app at ${url} (this desktop as cloud1 sees it in its SSH session`);
    const edge = logs.get('edge1')?.join('\n') ?? '';
    expect(edge).toMatch(/edge1 is reached through jump host 198\.18\.3\.1: the address it sees \(198\.19\.3\.1\) is the jump host's/);
    expect(edge).toContain(`discovery: this app at ${url} (one of this desktop's own addresses`);
    for (const name of hosts) {
      expect(logs.get(name)?.join('\n')).toMatch(/registered with this app's discovery/);
      expect((await labExec(name, 'cat /etc/spanwise/agent.yaml')).stdout).toContain(`- ${url}`);
    }
  });

  it('the hosts are registered with the desktop: the server counts them, the member list and `discovery list` on a node show them', async () => {
    const services = open[0] as Services;
    expect(services.discovery.server?.stats()).toMatchObject({ clusters: 1, affiliates: 3 });
    const members = await services.members.members();
    expect(members.discovery).toBe(`http://127.0.0.1:${port}`);
    expect(members.members.map((m) => [m.machine, m.status]).sort()).toEqual(hosts.map((h) => [h, 'ok']));
    const { clusterId } = services.clusters.get('lan');
    const listed = await labExec(
      'edge1',
      `S=$(sed -n 's/^ *secret: *//p' /etc/spanwise/agent.yaml) /opt/spanwise/spanwise-agent.mjs discovery list --endpoint ${DESKTOP_ADDRESS}:${port} --insecure --cluster-id '${clusterId}' --cluster-secret-env S -o json`,
    );
    const fromNode = JSON.parse(listed.stdout) as Array<{ hostname: string; status: string }>;
    expect(fromNode.map((m) => m.hostname).sort()).toEqual(hosts);
  });

  it('their tunnels come up: every pair the topology allows is up', async () => {
    const up = await waitForPairs(open[0] as Services, pairs, 120_000);
    expect(pairs.filter((p) => !up.includes(p))).toEqual([]);
  });

  it('with the desktop closed the nodes keep their peers; reopened, it serves the saved members again', async () => {
    await stop(open[0] as Services);
    await new Promise((r) => setTimeout(r, 15_000));
    const peers = await labExec('cloud1', 'wg show kubespan peers');
    expect(peers.stdout.trim().split('\n')).toHaveLength(2);
    const again = start();
    expect((await again.discovery.sync())?.state).toBe('running');
    expect(again.discovery.server?.stats().affiliates).toBe(3);
    const up = await waitForPairs(again, pairs, 60_000);
    expect(pairs.filter((p) => !up.includes(p))).toEqual([]);
    await stop(again);
  });

  it('`spanwise node onboard` with no app open serves discovery for its run and warns; dc1 (sudo user, jump host) registers with it', async () => {
    const dc1 = lab.host('dc1');
    const env = { LAB_PW: dc1.sudoUser.password };
    const added = await spanwise(
      dataDir,
      [
        'node',
        'add',
        'dc1',
        '--ssh',
        `${dc1.sudoUser.user}@${dc1.ssh.host}:${dc1.ssh.port}`,
        '--password-env',
        'LAB_PW',
        '--jump',
        dc1.ssh.jump ?? '',
        '--identity',
        dc1.ssh.identityFile,
        '--site',
        'datacenter',
      ],
      env,
    );
    expect(added.code).toBe(0);
    const run = await spanwise(dataDir, ['node', 'onboard', 'dc1', '--trust-on-first-use'], env);
    expect(run.stderr).toContain(`so this command serves it on TCP ${port} until it exits`);
    expect(run.stdout).toMatch(/dc1 is reached through jump host 198\.18\.2\.1: the address it sees \(198\.19\.2\.1\) is the jump host's/);
    expect(run.stdout).toContain("registered with this app's discovery (4 members)");
    expect(run.stdout).toContain('dc1: onboarded');
    expect(run.code).toBe(0);
    expect(existsSync(stateFileOf(dataDir, 'lan'))).toBe(true);
  });
});

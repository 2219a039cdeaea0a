import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPaths } from '../../../agent/shared/host-paths.js';
import { createCa } from '../../../agent/shared/pki.js';
import type { OnboardingProgress, OnboardingResult } from '../../contract/onboarding.js';
import { clusterSettingsSchema, type ClusterSettings } from '../../contract/settings.js';
import { startLoopbackSshd, type LoopbackSshd } from '../../../test/support/loopback-sshd.js';
import { EventBus } from '../events.js';
import { HostKeyStore } from '../ssh/host-keys.js';
import { SshSession } from '../ssh/session.js';
import { openDatabase, type Db } from '../store/database.js';
import { MachineStore, type MachineRow } from '../store/machines.js';
import { RunStore } from '../store/runs.js';
import { renderAgentConfig } from './agent-config.js';
import type { StepContext } from './context.js';
import { pushConfig, reconfigureSteps } from './reconfigure-plan.js';
import { runOnboarding } from './runner.js';
import { supervisedStart } from './supervisor.js';

/**
 * Each host is a real sshd in its own mount namespace, with overlays on /etc, /opt, /run and /var,
 * so its /etc/spanwise is its own. Its agent is a stand-in script run by the real supervised start:
 * it records the config it started with, and waits.
 */
const STAND_IN = `#!/bin/sh
echo $$ > "$3"
sha256sum ${hostPaths.config} | cut -d' ' -f1 >> ${hostPaths.logDir}/starts
trap 'exit 0' TERM
while :; do sleep 1 & wait $!; done
`;
/** The bundle this desktop would upload: the stand-in itself. */
const bundle = { path: '', bytes: Buffer.from(STAND_IN), sha256: createHash('sha256').update(STAND_IN).digest('hex'), unit: '', openrc: '', runtimesDir: '' };

interface Host {
  name: string;
  sshd: LoopbackSshd;
  session: SshSession;
  run(script: string, input?: string): Promise<string>;
}

let db: Db;
let dbDir: string;
let root: string;
const hosts: Host[] = [];
const old = clusterSettingsSchema.parse({ mtu: 1420 });
const next = clusterSettingsSchema.parse({ mtu: 1380, relays: [{ between: ['a', 'b'], via: 'c' }] });
let cluster: StepContext['cluster'];

async function startHost(name: string, configMount: string, agent = STAND_IN): Promise<Host> {
  const dirs = ['etc', 'opt', 'run', 'var'];
  for (const dir of dirs) for (const part of ['u', 'w']) mkdirSync(join(root, name, dir, part), { recursive: true });
  const overlays = dirs.map((d) => `mount -t overlay overlay -o lowerdir=/${d},upperdir=${root}/${name}/${d}/u,workdir=${root}/${name}/${d}/w /${d}`);
  const mounts = [...overlays, `mkdir -p ${hostPaths.configDir}`, configMount].join(' && ');
  const sshd = await startLoopbackSshd(['unshare', '--mount', '--propagation', 'private', 'sh', '-c', `${mounts} && exec "$@"`, 'sh']);
  const session = await SshSession.open({
    target: { user: sshd.user, host: '127.0.0.1', port: sshd.port },
    jump: [],
    credentials: { identityFile: sshd.identityFile },
    hostKeys: new HostKeyStore(db),
    decision: { trustOnFirstUse: true },
  });
  const run = async (script: string, input?: string) => {
    const result = await session.exec(`sh -c '${script.replace(/'/g, `'\\''`)}'`, input);
    if (result.code !== 0) throw new Error(`${name}: ${script} failed: ${result.stderr}`);
    return result.stdout;
  };
  await run(`mkdir -p ${hostPaths.installDir} && cat > ${hostPaths.agent} && chmod 0755 ${hostPaths.agent}`, agent);
  return { name, sshd, session, run };
}

const row = (host: Host): MachineRow => ({
  cluster: 'prod',
  name: host.name,
  site: 'edge',
  role: 'worker',
  ssh: { user: host.sshd.user, host: '127.0.0.1', port: host.sshd.port },
  jump: [],
  identityFile: host.sshd.identityFile,
  useAgent: false,
  passwordSealed: null,
  passphraseSealed: null,
  sudoPasswordSealed: null,
  labels: {},
  state: 'onboarded',
  createdAt: new Date().toISOString(),
  jumpAuth: null,
  underlayMtu: null,
});

const configFor = (host: Host, settings: ClusterSettings) => renderAgentConfig({ machine: row(host), cluster: { ...cluster, settings } });
const starts = async (host: Host) => (await host.run(`cat ${hostPaths.logDir}/starts`)).trim().split('\n');
const agentPid = async (host: Host) => (await host.run(`cat ${hostPaths.runtimeDir}/agent.pid`)).trim();
const sha = async (host: Host) => (await host.run(`sha256sum ${hostPaths.config} | cut -d' ' -f1`)).trim();

let results: OnboardingResult[];
let again: OnboardingResult[];
const events: OnboardingProgress[] = [];
const before: Record<string, { pid: string; sha: string }> = {};

beforeAll(async () => {
  dbDir = mkdtempSync(join(tmpdir(), 'spanwise-push-db-'));
  db = openDatabase(dbDir);
  root = mkdtempSync(join(tmpdir(), 'spanwise-push-hosts-'));
  cluster = {
    name: 'prod',
    clusterId: 'c1',
    secret: Buffer.alloc(32, 7).toString('base64'),
    ca: await createCa('push CA'),
    discoveryUrl: 'http://127.0.0.1:3000',
    settings: next,
  };
  // a, b and d have the old config, c the new one; b's /etc/spanwise is full, so nothing new fits in it; d runs another agent build.
  const [a, b, c, d] = await Promise.all([
    startHost('a', 'true'),
    startHost('b', `mount -t tmpfs -o size=8k,mode=0700 tmpfs ${hostPaths.configDir}`),
    startHost('c', 'true'),
    startHost('d', 'true', `${STAND_IN}# an older build\n`),
  ]);
  hosts.push(a as Host, b as Host, c as Host, d as Host);
  for (const host of hosts) {
    await host.run(`umask 077; cat > ${hostPaths.config}`, configFor(host, host.name === 'c' ? next : old));
    await host.run(supervisedStart('agent', `run --config ${hostPaths.config}`, false));
    before[host.name] = { pid: await agentPid(host), sha: await sha(host) };
  }
  await (b as Host).run(`dd if=/dev/zero of=${hostPaths.configDir}/filler bs=1k count=64 2>/dev/null; true`);
  db.prepare(
    "INSERT INTO clusters (name, cluster_id, secret_sealed, ca_cert, ca_key_sealed, discovery, created_at) VALUES ('prod', 'c1', x'00', '', x'00', '{}', '')",
  ).run();
  for (const host of hosts) new MachineStore(db).insert(row(host));
  const runs = new RunStore(db);
  const bus = new EventBus();
  bus.subscribe((event, payload) => event === 'onboard:progress' && events.push(payload as OnboardingProgress));
  const steps = {
    ...reconfigureSteps,
    verify: async (ctx: StepContext) =>
      (await ctx.session.exec(`kill -0 $(cat ${hostPaths.runtimeDir}/agent.pid)`)).code === 0 ? ('done' as const) : Promise.reject(new Error('agent down')),
  };
  const push = () =>
    pushConfig(hosts.map(row), (machine) =>
      runOnboarding(
        { runs, events: bus, hostKeys: new HostKeyStore(db), steps, setMachineState: () => undefined, recordUnderlayMtu: () => undefined },
        {
          kind: 'push',
          machine,
          credentials: { identityFile: machine.identityFile, passphrase: null, password: null, sudoPassword: null, useAgent: false },
          cluster,
          hostsDiscovery: false,
          discoveryPort: 3000,
          bundle,
          decision: { trustOnFirstUse: true },
          signal: new AbortController().signal,
        },
      ),
    );
  results = await push();
  again = await push();
}, 60_000);

afterAll(async () => {
  for (const host of hosts) {
    await host.run(`kill $(cat ${hostPaths.runtimeDir}/agent.pid) 2>/dev/null; true`).catch(() => undefined);
    host.session.close();
    host.sshd.stop();
  }
  db?.close();
  for (const dir of [dbDir, root]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a settings push to agents over SSH', () => {
  it('writes the new config where it differs, restarts only that agent, and leaves an up-to-date node alone', async () => {
    const [a, , c] = hosts as [Host, Host, Host];
    expect(results.map((r) => [r.machine, r.ok, r.changed])).toEqual([
      ['a', true, true],
      ['b', false, undefined],
      ['c', true, false],
      ['d', false, undefined],
    ]);
    expect(await a.run(`cat ${hostPaths.config}`)).toBe(configFor(a, next));
    expect(await a.run(`stat -c '%U %a' ${hostPaths.config}`)).toBe('root 600\n');
    expect(await starts(a)).toEqual([before.a?.sha, await sha(a)]);
    expect(await agentPid(a)).not.toBe(before.a?.pid);
    expect(await starts(c)).toEqual([before.c?.sha]);
    expect(await agentPid(c)).toBe(before.c?.pid);
  });

  it('keeps the old config whole on a node where the new one cannot be written, and names the node, the step and the fix', async () => {
    const b = hosts[1] as Host;
    expect(results[1]).toMatchObject({ machine: 'b', ok: false, failedStep: 'config', error: { code: 'REMOTE_COMMAND_FAILED' } });
    expect(results[1]?.error?.message).toMatch(/^config: config write failed on 127\.0\.0\.1 .*No space left on device/);
    expect(results[1]?.error?.hint).toBe('b keeps its old config; fix the cause shown, then apply the settings again (nodes that have them are left alone)');
    expect(await sha(b)).toBe(before.b?.sha);
    expect(await b.run(`ls ${hostPaths.configDir}`)).toBe('agent.yaml\nfiller\n');
    expect(await starts(b)).toEqual([before.b?.sha]);
    expect(await agentPid(b)).toBe(before.b?.pid);
  });

  it('reports each node and step as onboarding does, and a second push writes and restarts nothing', async () => {
    const of = (machine: string) => events.filter((e) => e.machine === machine && e.state !== 'running').map((e) => `${e.step}:${e.state}`);
    expect(of('a').slice(0, 5)).toEqual(['connect:done', 'preflight:done', 'config:done', 'service:done', 'verify:done']);
    expect(of('c').slice(0, 5)).toEqual(['connect:done', 'preflight:done', 'config:skipped', 'service:skipped', 'verify:done']);
    expect(events.find((e) => e.machine === 'a' && e.step === 'verify' && e.state === 'done')?.percent).toBe(100);
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['push']));
    expect(again.map((r) => [r.machine, r.changed])).toEqual([
      ['a', false],
      ['b', undefined],
      ['c', false],
      ['d', undefined],
    ]);
    expect(await starts(hosts[0] as Host)).toHaveLength(2);
    expect(of('a').slice(5)).toEqual(['connect:done', 'preflight:done', 'config:skipped', 'service:skipped', 'verify:done']);
  });

  it('writes nothing on a node that runs another agent build, and says to upgrade it first', async () => {
    const d = hosts[3] as Host;
    expect(results[3]).toMatchObject({ machine: 'd', ok: false, failedStep: 'preflight', error: { code: 'AGENT_OUTDATED' } });
    expect(results[3]?.error?.message).toMatch(/^preflight: d runs another agent build than this desktop \(sha256 [0-9a-f]{12}, .*\); nothing was written$/);
    expect(results[3]?.error?.hint).toBe(
      'd keeps its old config; run spanwise node upgrade d (or --all), then apply the settings again (nodes that have them are left alone)',
    );
    expect(await d.run(`cat ${hostPaths.config}`)).toBe(configFor(d, old));
    expect(await starts(d)).toEqual([before.d?.sha]);
    expect(await agentPid(d)).toBe(before.d?.pid);
  });
});

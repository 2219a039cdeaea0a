import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterStatus } from '../../electron/contract/status.js';
import { spanwise } from '../support/spanwise-cli.js';
import { labExec } from './index.js';
import { useLab } from './use-lab.js';

const lab = useLab('hybrid');
const dataDir = join(mkdtempSync(join(tmpdir(), 'spanwise-onboard-')), 'data');
const outputs: string[] = [];

async function cli(args: string[], env: Record<string, string> = {}) {
  const result = await spanwise(dataDir, args, env);
  outputs.push(result.stdout, result.stderr);
  return result;
}

function dataDirBytes(): string {
  return readdirSync(dataDir)
    .map((f) => readFileSync(join(dataDir, f)).toString('latin1'))
    .join('\n');
}

describe('onboarding the hybrid lab from the CLI', () => {
  it('creates a cluster and adds the four hosts (edge through its jump host, dc1 as a sudo user with a password)', async () => {
    expect((await cli(['cluster', 'create', 'lab'])).code).toBe(0);
    const root = (name: string) => lab.host(name).ssh;
    for (const name of ['cloud1', 'cloud2']) {
      const r = await cli([
        'node',
        'add',
        name,
        '--ssh',
        `root@${root(name).host}:${root(name).port}`,
        '--identity',
        root(name).identityFile,
        '--site',
        'cloud',
      ]);
      expect(r.stderr).toBe('');
    }
    const dc1 = lab.host('dc1');
    const added = await cli(
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
        '--role',
        'controlplane',
      ],
      { LAB_PW: dc1.sudoUser.password },
    );
    expect(added.code).toBe(0);
    const edge = root('edge1');
    expect(
      (
        await cli([
          'node',
          'add',
          'edge1',
          '--ssh',
          `root@${edge.host}:${edge.port}`,
          '--identity',
          edge.identityFile,
          '--jump',
          edge.jump ?? '',
          '--site',
          'edge',
        ])
      ).code,
    ).toBe(0);
  });

  it('refuses unknown host keys until confirmed, then onboards all four', async () => {
    const refused = await cli(['node', 'onboard', 'cloud2']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/not trusted yet: SHA256:/);
    const all = await cli(['node', 'onboard', '--all', '--trust-on-first-use']);
    expect(all.stdout).toContain('cloud1: onboarded');
    expect(all.stdout).toContain('cloud2: onboarded');
    expect(all.stdout).toContain('dc1: onboarded');
    expect(all.stdout).toContain('edge1: onboarded');
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/\[dc1\] +100% verify +done/);
  });

  it('status --json shows every agent reachable and the pairs the topology allows up', async () => {
    let status: ClusterStatus | undefined;
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const r = await cli(['status', '--json']);
      status = JSON.parse(r.stdout) as ClusterStatus;
      const upPairs = status.nodes.flatMap((n) => n.peers.filter((p) => p.state === 'up').map((p) => `${n.name}>${p.name}`));
      const required = ['cloud1>cloud2', 'cloud2>cloud1', 'edge1>cloud1', 'cloud1>edge1', 'dc1>cloud2', 'cloud2>dc1', 'edge1>cloud2', 'dc1>cloud1'];
      if (required.every((pair) => upPairs.includes(pair))) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    if (!status) throw new Error('no status');
    expect(status.nodes.map((n) => [n.name, n.agent.reachable])).toEqual([
      ['cloud1', true],
      ['cloud2', true],
      ['dc1', true],
      ['edge1', true],
    ]);
    expect(status.nodes.find((n) => n.name === 'cloud1')?.agent.via).toBe('direct');
    expect(status.nodes.find((n) => n.name === 'edge1')?.agent.via).toBe('ssh-tunnel');
    for (const node of status.nodes) {
      expect(node.publicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      expect(node.address).toMatch(/^fd/);
      expect(node.peers.map((p) => p.name).sort()).toEqual(
        status.nodes
          .map((n) => n.name)
          .filter((n) => n !== node.name)
          .sort(),
      );
    }
    const up = (from: string, to: string) => status?.nodes.find((n) => n.name === from)?.peers.find((p) => p.name === to)?.state;
    for (const [a, b] of [
      ['cloud1', 'cloud2'],
      ['cloud1', 'edge1'],
      ['cloud2', 'edge1'],
      ['cloud1', 'dc1'],
      ['cloud2', 'dc1'],
    ]) {
      expect(up(a as string, b as string)).toBe('up');
      expect(up(b as string, a as string)).toBe('up');
    }
  });

  it('re-running a finished onboarding changes nothing', async () => {
    const before = await labExec('cloud2', 'cat /var/lib/spanwise/kubespan-identity.yaml; cat /run/spanwise/agent.pid');
    const again = await cli(['node', 'onboard', 'cloud2']);
    expect(again.code).toBe(0);
    for (const step of ['packages', 'upload', 'config', 'certificate']) expect(again.stdout).toMatch(new RegExp(`\\[cloud2\\] +\\d+% ${step} +skipped`));
    expect(again.stdout).toContain('already running');
    const after = await labExec('cloud2', 'cat /var/lib/spanwise/kubespan-identity.yaml; cat /run/spanwise/agent.pid');
    expect(after.stdout).toBe(before.stdout);
  });

  it("prints a node's agent log over SSH, through its jump host", async () => {
    const logs = await cli(['node', 'logs', 'edge1', '--lines', '50']);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain('agent started');
  });

  it('never writes a secret to output or to the data dir in clear', async () => {
    const secret = readFileSync(join(dataDir, 'secret.key'));
    expect(secret.length).toBe(32);
    const pw = lab.host('dc1').sudoUser.password;
    const clusterSecret = (await labExec('cloud1', "sed -n 's/^ *secret: *//p' /etc/spanwise/agent.yaml")).stdout.trim();
    expect(Buffer.from(clusterSecret, 'base64')).toHaveLength(32);
    const everything = outputs.join('\n') + dataDirBytes();
    for (const value of [pw, clusterSecret]) expect(everything).not.toContain(value);
    const mode = (await labExec('cloud1', 'stat -c %a /etc/spanwise/agent.yaml /etc/spanwise/tls/agent.key')).stdout.split('\n');
    expect(mode.slice(0, 2)).toEqual(['600', '600']);
  });
});

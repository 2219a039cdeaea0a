import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { spanwise } from '../support/spanwise-cli.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'spanwise-cli-contract-'));

/** A loopback TCP port nothing listens on: SSH to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('spanwise commands go through the contract', { timeout: 180_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = fresh();
    expect((await spanwise(dir, ['cluster', 'create', 'lab', '--discovery-url', 'http://127.0.0.1:3000'])).code).toBe(0);
  });

  it('names the flag the contract refused, with exit code 2', async () => {
    const name = await spanwise(dir, ['cluster', 'create', 'Bad_Name']);
    expect(name).toMatchObject({ code: 2, stdout: '' });
    expect(name.stderr).toContain('spanwise cluster create: NAME: use 1-63 lowercase letters');
    expect(name.stderr).toContain('Usage: spanwise cluster create NAME');
    const mtu = await spanwise(dir, ['settings', 'set', '--mtu', '100', '--no-apply']);
    expect(mtu.code).toBe(2);
    expect(mtu.stderr).toContain("--mtu: use at least 1280 (the IPv6 minimum), got '100'");
    const add = await spanwise(dir, ['node', 'add', 'edge1', '--ssh', 'root@192.0.2.1:70000', '--site', 'moon', '--ssh-agent']);
    expect(add.code).toBe(2);
    expect(add.stderr).toMatch(/--ssh: use a port from 1 to 65535.*; --site: .*"edge"\|"datacenter"\|"cloud".*got 'moon'/);
    const concurrency = await spanwise(dir, ['node', 'onboard', 'edge1', '--concurrency', '99']);
    expect(concurrency.code).toBe(2);
    expect(concurrency.stderr).toContain("--concurrency: use a whole number from 1 to 32, got '99'");
    const identity = await spanwise(dir, ['node', 'add', 'edge1', '--ssh', 'root@192.0.2.1', '--identity', join(dir, 'no-such-key')]);
    expect(identity.code).toBe(2);
    expect(identity.stderr).toContain(`--identity: ${join(dir, 'no-such-key')} does not exist`);
  });

  it('under -o json, prints the error envelope on stderr and nothing on stdout', async () => {
    const refused = await spanwise(dir, ['settings', 'set', '--mtu', '99999', '--no-apply', '-o', 'json']);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(JSON.parse(refused.stderr)).toEqual({
      error: {
        code: 'INVALID_REQUEST',
        message: "--mtu: use at most 9000, got '99999'",
        hint: 'correct the named flags and try again',
        details: { flag: '--mtu', field: 'settings.mtu' },
      },
    });
    const missing = await spanwise(dir, ['cluster', 'use', 'nope', '--json']);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(JSON.parse(missing.stderr)).toMatchObject({
      error: { code: expect.stringMatching(/^[A-Z_]+$/) as unknown, message: expect.stringContaining('nope') as unknown },
    });
    const text = await spanwise(dir, ['cluster', 'use', 'nope']);
    expect(text.stderr).toMatch(/^spanwise: [A-Z_]+: .*nope/);
  });

  it('prints data as a table with upper-case headers, a wide table, JSON or YAML', async () => {
    const table = await spanwise(dir, ['cluster', 'list']);
    expect(table.stdout.split('\n')[0]).toMatch(/^CURRENT +NAME +MACHINES +DISCOVERY$/);
    expect(table.stdout).toMatch(/\* +lab +0 +http:\/\/127\.0\.0\.1:3000/);
    expect((await spanwise(dir, ['cluster', 'list', '-o', 'wide'])).stdout.split('\n')[0]).toMatch(/CLUSTER ID +CREATED$/);
    const json = JSON.parse((await spanwise(dir, ['cluster', 'list', '-o', 'json'])).stdout) as unknown;
    expect(JSON.parse((await spanwise(dir, ['cluster', 'list', '--json'])).stdout)).toEqual(json);
    expect(parseYaml((await spanwise(dir, ['cluster', 'list', '-o', 'yaml'])).stdout)).toEqual(json);
    const settings = await spanwise(dir, ['settings', 'show']);
    expect(settings.stdout).toMatch(/SETTING +VALUE\nmtu +1420/);
    const bad = await spanwise(dir, ['node', 'list', '-o', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("-o/--output: 'xml' is not one of table, wide, json, yaml");
  });
});

describe('spanwise node ssh-hosts', { timeout: 60_000 }, () => {
  it('lists the hosts of a config split over Include files', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'conf.d'));
    writeFileSync(join(dir, 'config'), `Include ${join(dir, 'conf.d')}/*.conf\nHost bastion\n  HostName 198.18.0.1\n  User ops\n`);
    writeFileSync(join(dir, 'conf.d', 'dc.conf'), 'Host dc1\n  User admin\n  ProxyJump bastion\n');
    const run = await spanwise(dir, ['node', 'ssh-hosts', join(dir, 'config'), '-o', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      { name: 'dc1', ssh: { user: 'admin', host: 'dc1', port: 22 }, identityFile: null, jump: [{ user: 'ops', host: '198.18.0.1', port: 22 }] },
      { name: 'bastion', ssh: { user: 'ops', host: '198.18.0.1', port: 22 }, identityFile: null, jump: [] },
    ]);
    const table = await spanwise(dir, ['node', 'ssh-hosts', join(dir, 'config')]);
    expect(table.stdout).toMatch(/^NAME +SSH +JUMP +IDENTITY\ndc1 +admin@dc1:22 +ops@198\.18\.0\.1:22/);
  });
});

describe('exit codes for scripts', { timeout: 240_000 }, () => {
  it('status and diagnose exit 0 on a healthy (empty) cluster and 3 when an agent is unreachable', async () => {
    const dir = fresh();
    await spanwise(dir, ['cluster', 'create', 'lab', '--discovery-url', 'http://127.0.0.1:3000']);
    expect((await spanwise(dir, ['status'])).code).toBe(0);
    expect((await spanwise(dir, ['node', 'add', 'edge1', '--ssh', `root@127.0.0.1:${await closedPort()}`, '--ssh-agent'])).code).toBe(0);
    const status = await spanwise(dir, ['status']);
    expect(status.code).toBe(3);
    expect(status.stdout).toMatch(/NODE +SITE +ROLE +AGENT +VIA +ADDRESS\nedge1 +cloud +worker +unreachable/);
    expect(status.stderr).toContain('edge1: agent unreachable');
    const statusJson = await spanwise(dir, ['status', '-o', 'json']);
    expect(statusJson.code).toBe(3);
    expect(JSON.parse(statusJson.stdout)).toMatchObject({ nodes: [{ name: 'edge1', agent: { reachable: false } }] });
    const diagnose = await spanwise(dir, ['diagnose', '-o', 'json']);
    expect(diagnose.code).toBe(3);
    expect((JSON.parse(diagnose.stdout) as { findings: { severity: string }[] }).findings.some((f) => f.severity === 'error')).toBe(true);
  });
});

describe('help', { timeout: 120_000 }, () => {
  it('lists a group, and every flag of a command with its default and examples', async () => {
    const dir = fresh();
    for (const args of [
      ['node', '--help'],
      ['help', 'node'],
    ]) {
      const group = await spanwise(dir, args);
      expect(group.code).toBe(0);
      expect(group.stdout).toMatch(/node add +add a machine/);
      expect(group.stdout).toMatch(/node onboard +onboard machines/);
      expect(group.stdout).not.toContain('cluster create');
    }
    const add = await spanwise(dir, ['node', 'add', '--help']);
    expect(add.stdout).toMatch(/--site KIND +where the machine sits: edge, datacenter or cloud \(default cloud\)/);
    expect(add.stdout).toMatch(/-o, --output FORMAT +output format: .* \(default table\)/);
    expect(add.stdout).toMatch(/Examples:\n {2}spanwise node add edge1 --ssh root@/);
  });
});

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { downLab } from './cleanup.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function lab(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/lab/cli.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run lab', () => {
  afterAll(async () => {
    await downLab();
  });

  it.each([
    [['bogus'], /unknown command "bogus"/],
    [[], /missing command/],
    [['up', 'no-such-scenario'], /unknown scenario/],
    [['status', '--bogus'], /Unknown option '--bogus'/],
    [['down', 'extra'], /unexpected argument "extra"/],
    [['exec', 'cloud1'], /needs a command after --/],
    [['ssh-config', '--fresh'], /does not take --fresh/],
  ])('exits 2 with a clear message for %j', (args, message) => {
    const r = lab(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('usage: npm run lab');
  });

  it('up, status --json, exec, ssh-config, down', () => {
    const up = lab('up', 'hybrid', '--fresh', '--json');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).not.toMatch(/password/i);
    const status = JSON.parse(lab('status', '--json').stdout) as {
      up: boolean;
      scenario: string;
      hosts: {
        name: string;
        site: string;
        ssh: { host: string; port: number; user: string; identityFile: string; jump: string | null };
        sudoUser: { user: string; password: string };
      }[];
    };
    expect(status).toMatchObject({ up: true, scenario: 'hybrid' });
    const byName = Object.fromEntries(status.hosts.map((h) => [h.name, h]));
    expect(Object.keys(byName).sort()).toEqual(['cloud1', 'cloud2', 'dc-gw', 'dc1', 'edge-gw', 'edge1']);
    expect(byName.cloud1).toMatchObject({ site: 'cloud', ssh: { host: '198.18.1.10', port: 22, user: 'root', jump: null } });
    expect(byName['dc-gw']).toMatchObject({ site: 'gateway', ssh: { host: '198.18.2.1', jump: null } });
    expect(byName.dc1).toMatchObject({ site: 'datacenter', ssh: { host: '198.19.2.10', jump: 'root@198.18.2.1:22' } });
    expect(byName.edge1).toMatchObject({ site: 'edge', ssh: { jump: 'root@198.18.3.1:22' }, sudoUser: { user: 'labuser' } });
    expect(byName.edge1!.sudoUser.password.length).toBeGreaterThanOrEqual(16);
    expect(byName.edge1!.ssh.identityFile).toMatch(/^\/.+id_ed25519$/);

    const human = lab('status');
    expect(human.stdout).toContain('dc1');
    expect(human.stdout).not.toContain(byName.edge1!.sudoUser.password);

    const exec = lab('exec', 'dc1', '--', 'hostname');
    expect(exec).toMatchObject({ code: 0, stdout: 'dc1\n' });
    expect(lab('exec', 'dc1', '--', 'sh', '-c', 'exit 3').code).toBe(3);
    expect(lab('exec', 'nohost', '--', 'true').code).toBe(1);

    const config = lab('ssh-config').stdout;
    expect(config).toMatch(/Host dc1\n {2}HostName 198\.19\.2\.10\n[\s\S]*?ProxyJump dc-gw\n/);
    expect(config).toMatch(/Host cloud1\n {2}HostName 198\.18\.1\.10\n/);

    expect(lab('down')).toMatchObject({ code: 0, stdout: 'lab: down\n' });
    expect(JSON.parse(lab('status', '--json').stdout)).toMatchObject({ up: false, phase: 'down', hosts: [] });
  });
});

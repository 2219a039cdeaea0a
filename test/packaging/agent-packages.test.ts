import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveNodeAddressing } from '../../agent/lib/ula.js';
import { pinnedRuntimes } from '../../electron/services/onboarding/runtime-manifest.js';
import { buildAgentPackages, type AgentPackages } from '../../scripts/package-agent.js';

/**
 * The agent's .deb and .rpm for arm64 and armv7l, built by the project's script with dpkg-deb and
 * rpmbuild: their files, modes and maintainer scripts as the distributions' tools read them, and
 * the packaged runtime and bundle run under qemu-user (with Debian's cross libc as the loader's root).
 */
const repo = join(import.meta.dirname, '../..');
const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
const qemu = {
  arm64: { binary: 'qemu-aarch64-static', sysroot: '/usr/aarch64-linux-gnu', arch: 'arm64' },
  armv7l: { binary: 'qemu-arm-static', sysroot: '/usr/arm-linux-gnueabihf', arch: 'arm' },
};
const sh = (file: string, args: string[], env: NodeJS.ProcessEnv = {}) => execFileSync(file, args, { encoding: 'utf8', env: { ...process.env, ...env } });
let built: AgentPackages[];
const pkg = (arch: 'arm64' | 'armv7l') => built.find((p) => p.arch === arch)!;

beforeAll(async () => {
  built = await buildAgentPackages(['arm64', 'armv7l'], mkdtempSync(join(tmpdir(), 'spanwise-packages-')), { fast: true });
}, 1_200_000);

describe('agent packages', () => {
  it('names the files for their arches', () => {
    expect(built.map((p) => [p.deb.split('/').pop(), p.rpm.split('/').pop()])).toEqual([
      [`spanwise-agent_${version}_arm64.deb`, `spanwise-agent-${version}-1.aarch64.rpm`],
      [`spanwise-agent_${version}_armhf.deb`, `spanwise-agent-${version}-1.armv7hl.rpm`],
    ]);
    // Node's armv7l build links libatomic, which Raspberry Pi OS has but a minimal armhf system may not.
    expect(sh('dpkg-deb', ['-f', pkg('armv7l').deb, 'Package', 'Architecture', 'Version', 'Depends'])).toBe(
      `Package: spanwise-agent\nArchitecture: armhf\nVersion: ${version}\nDepends: libatomic1\n`,
    );
    expect(sh('rpm', ['-qp', '--requires', pkg('armv7l').rpm])).toMatch(/^libatomic$/m);
    expect(sh('rpm', ['-qp', '--qf', '%{NAME} %{ARCH} %{VERSION}', pkg('arm64').rpm])).toBe(`spanwise-agent aarch64 ${version}`);
  });

  it('ships the runtime, the bundle, the unit as it is in agent/packaging and a command on PATH, owned by root, with their modes', () => {
    const runtime = pinnedRuntimes.arm64.version;
    const deb = sh('dpkg-deb', ['-c', pkg('arm64').deb])
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(/\s+/))
      .map((f) => `${f[0]} ${f[1]} ${f.slice(5).join(' ')}`);
    expect(deb).toEqual(
      expect.arrayContaining([
        `-rwxr-xr-x root/root ./opt/spanwise/runtime/${runtime}/node`,
        '-rwxr-xr-x root/root ./opt/spanwise/spanwise-agent.mjs',
        `lrwxrwxrwx root/root ./opt/spanwise/bin/node -> /opt/spanwise/runtime/${runtime}/node`,
        '-rwxr-xr-x root/root ./usr/bin/spanwise-agent',
        '-rw-r--r-- root/root ./usr/lib/systemd/system/spanwise-agent.service',
      ]),
    );
    expect(deb.filter((line) => line.startsWith('-') || line.startsWith('l'))).toHaveLength(5);
    const rpm = sh('rpm', ['-qlpv', pkg('arm64').rpm])
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(/\s+/))
      .map((f) => `${f[0]} ${f[2]}/${f[3]} ${f.slice(8).join(' ')}`);
    expect(rpm).toEqual([
      'drwxr-xr-x root/root /opt/spanwise',
      'drwxr-xr-x root/root /opt/spanwise/bin',
      `lrwxrwxrwx root/root /opt/spanwise/bin/node -> /opt/spanwise/runtime/${runtime}/node`,
      'drwxr-xr-x root/root /opt/spanwise/runtime',
      `drwxr-xr-x root/root /opt/spanwise/runtime/${runtime}`,
      `-rwxr-xr-x root/root /opt/spanwise/runtime/${runtime}/node`,
      '-rwxr-xr-x root/root /opt/spanwise/spanwise-agent.mjs',
      '-rwxr-xr-x root/root /usr/bin/spanwise-agent',
      '-rw-r--r-- root/root /usr/lib/systemd/system/spanwise-agent.service',
    ]);
    const tree = mkdtempSync(join(tmpdir(), 'spanwise-deb-'));
    sh('dpkg-deb', ['-x', pkg('arm64').deb, tree]);
    expect(readFileSync(join(tree, 'usr/lib/systemd/system/spanwise-agent.service'), 'utf8')).toBe(
      readFileSync(join(repo, 'agent/packaging/spanwise-agent.service'), 'utf8'),
    );
    expect(readFileSync(join(tree, 'opt/spanwise/spanwise-agent.mjs'), 'utf8').split('\n')[0]).toBe('#!/opt/spanwise/bin/node');
    expect(readFileSync(join(tree, 'usr/bin/spanwise-agent'), 'utf8')).toBe('#!/bin/sh\nexec /opt/spanwise/bin/node /opt/spanwise/spanwise-agent.mjs "$@"\n');
  });

  it('enables the agent only where it is configured, and stops it before removal', () => {
    const control = mkdtempSync(join(tmpdir(), 'spanwise-deb-control-'));
    sh('dpkg-deb', ['-e', pkg('arm64').deb, control]);
    const postinst = readFileSync(join(control, 'postinst'), 'utf8');
    expect(postinst.indexOf('if [ -f /etc/spanwise/agent.yaml ]')).toBeGreaterThan(-1);
    expect(postinst.indexOf('systemctl enable')).toBeGreaterThan(postinst.indexOf('if [ -f /etc/spanwise/agent.yaml ]'));
    expect(readFileSync(join(control, 'prerm'), 'utf8')).toMatch(/systemctl stop spanwise-agent[^\n]*\n {2}if \[ "\$1" = remove \]; then systemctl disable/);
    for (const script of ['postinst', 'prerm', 'postrm']) sh('sh', ['-n', join(control, script)]);
    const scripts = sh('rpm', ['-qp', '--scripts', pkg('arm64').rpm]);
    expect(scripts).toMatch(/postinstall scriptlet[^\n]*\n(.*\n)*\s+if \[ -f \/etc\/spanwise\/agent\.yaml \]; then\n\s+systemctl enable/);
    expect(scripts).toMatch(/preuninstall scriptlet[^\n]*\n(.*\n)*\s+systemctl stop spanwise-agent(.*\n)*\s+if \[ "\$1" -eq 0 \]; then systemctl disable/);
    expect(scripts).toMatch(/postuninstall scriptlet[^\n]*\n.*systemctl daemon-reload/);
  });

  for (const arch of ['arm64', 'armv7l'] as const) {
    it(`runs the packaged ${arch} runtime and bundle under qemu-user: --version and identity derive`, () => {
      const tree = mkdtempSync(join(tmpdir(), `spanwise-${arch}-`));
      sh('dpkg-deb', ['-x', pkg(arch).deb, tree]);
      // The bundle's interpreter, as the host resolves /opt/spanwise/bin/node, inside the unpacked tree.
      const link = readlinkSync(join(tree, 'opt/spanwise/bin/node'));
      expect(link).toBe(`/opt/spanwise/runtime/${pinnedRuntimes[arch].version}/node`);
      const q = qemu[arch];
      const agent = (...args: string[]) => sh(q.binary, [join(tree, link), ...args], { QEMU_LD_PREFIX: q.sysroot });
      expect(agent('-p', 'process.arch + " " + process.version')).toBe(`${q.arch} v${pinnedRuntimes[arch].version}\n`);
      expect(agent(join(tree, 'opt/spanwise/spanwise-agent.mjs'), '--version').trim()).toBe(version);
      const clusterId = 'qemu-check-cluster';
      const mac = '2e:1a:b6:53:81:69';
      const derived = JSON.parse(
        agent(join(tree, 'opt/spanwise/spanwise-agent.mjs'), 'identity', 'derive', '--cluster-id', clusterId, '--mac', mac, '-o', 'json'),
      );
      expect(derived).toEqual(deriveNodeAddressing(clusterId, mac));
      expect(derived.address).toMatch(/^fd[0-9a-f:]+:2c1a:b6ff:fe53:8169$/);
    });
  }
});

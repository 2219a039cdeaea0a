import { describe, expect, it } from 'vitest';
import { parsePreflight, type PreflightFacts } from './preflight.js';
import { assessPreflight } from './preflight-assess.js';

const sample = [
  'os=debian',
  'os_version=12',
  'os_like=',
  'arch=x86_64',
  'kernel=6.1.0',
  'init=systemd',
  'kernel_wireguard=no',
  'wg_version=wireguard-tools v1.0.20210914',
  'wireguard_go_version=wireguard-go v0.0.20230223',
  'node_version=v24.11.0',
  'node_path=/usr/bin/node',
  'decompressors=xz gzip ',
  'spanwise_runtimes=',
  'package_manager=apt-get',
  'udp_51820_users=',
  'udp_51820_bound=0',
  'tcp_50000_users=',
  'tcp_50000_bound=0',
  'default_link=eth0',
  'default_link_mtu=1500',
  'epoch_ms=1000500',
  'firewalls= nftables',
  'wireguard_links=',
  'ula_routes=',
  'table_180=0',
  'free_mb=2048',
  'done=yes',
].join('\n');

const facts = (over: Partial<PreflightFacts> = {}): PreflightFacts => ({ ...parsePreflight(sample, 1_000_000), ...over });
const codes = (f: PreflightFacts) => assessPreflight(f).map((i) => `${i.severity}:${i.code}`);

describe('pre-flight', () => {
  it('parses the probe output into typed facts', () => {
    expect(facts()).toMatchObject({
      os: 'debian',
      arch: 'x86_64',
      init: 'systemd',
      kernelWireguard: false,
      packageManager: 'apt-get',
      defaultLinkMtu: 1500,
      clockOffsetMs: 500,
      firewalls: ['nftables'],
      freeMb: 2048,
      nodeVersion: 'v24.11.0',
      nodePath: '/usr/bin/node',
      decompressors: ['xz', 'gzip'],
      cachedRuntimes: [],
      nodeLink: null,
      agentPackage: null,
      packageFormat: null,
      libc: 'glibc',
    });
  });

  it('refuses a truncated probe run', () => {
    expect(() => parsePreflight(sample.replace('done=yes', ''), 0)).toThrow(/did not complete/);
  });

  it('cuts long values instead of refusing the run', () => {
    const users = Array.from({ length: 60 }, (_, i) => `proc${i}`).join(',');
    const parsed = parsePreflight(sample.replace('udp_51820_users=', `udp_51820_users=${users}`), 0);
    expect(parsed.udp51820.users.join(',')).toBe(users.slice(0, 200).replace(/,$/, ''));
  });

  it('finds nothing to stop a healthy host', () => {
    expect(codes(facts())).toEqual(['info:NODE_PRESENT', 'info:FIREWALL_PRESENT']);
  });

  it('blocks on a port taken by someone else, but not by our own agent on a re-run', () => {
    expect(codes(facts({ udp51820: { bound: true, users: ['openvpn'] } }))).toContain('blocker:PORT_51820_TAKEN');
    expect(codes(facts({ tcp50000: { bound: true, users: ['python3'] } }))).toContain('blocker:PORT_50000_TAKEN');
    expect(codes(facts({ hasSpanwiseIdentity: true, udp51820: { bound: true, users: ['wireguard-go'] }, tcp50000: { bound: true, users: ['node'] } }))).toEqual(
      ['info:NODE_PRESENT', 'info:FIREWALL_PRESENT'],
    );
    expect(
      codes(facts({ hasSpanwiseIdentity: true, udp51820: { bound: true, users: ['wireguard-go'] }, tcp50000: { bound: true, users: ['MainThread'] } })),
    ).toEqual(['info:NODE_PRESENT', 'info:FIREWALL_PRESENT']);
  });

  it('blocks unsupported systems, skewed clocks and full disks with the fix', () => {
    expect(codes(facts({ os: 'freebsd', osLike: [] }))).toContain('blocker:UNSUPPORTED_OS');
    expect(codes(facts({ os: 'linuxmint', osLike: ['ubuntu', 'debian'] }))).not.toContain('blocker:UNSUPPORTED_OS');
    expect(codes(facts({ clockOffsetMs: 600_000 }))).toContain('blocker:CLOCK_SKEW');
    expect(codes(facts({ clockOffsetMs: 10_000 }))).toContain('warning:CLOCK_SKEW');
    expect(codes(facts({ freeMb: 10 }))).toContain('blocker:DISK_FULL');
    expect(codes(facts({ wgVersion: null, packageManager: null }))).toContain('blocker:NO_PACKAGE_MANAGER');
    expect(codes(facts({ defaultLinkMtu: 1300 }))).toContain('warning:UNDERLAY_MTU_SMALL');
    for (const issue of assessPreflight(facts({ os: 'freebsd', osLike: [] }))) expect(issue.fix).toBeTruthy();
  });

  it('uploads the runtime where the host has no Node or an older major, and blocks arches without one', () => {
    expect(codes(facts({ nodeVersion: null, nodePath: null }))).toContain('info:RUNTIME_UPLOAD');
    expect(codes(facts({ nodeVersion: 'v18.19.0' }))).toContain('info:RUNTIME_UPLOAD');
    expect(codes(facts({ arch: 'armv7l', nodeVersion: 'v20.11.0' }))).toContain('info:NODE_PRESENT');
    expect(codes(facts({ arch: 'riscv64', nodeVersion: null, nodePath: null }))).toContain('blocker:RUNTIME_ARCH_UNSUPPORTED');
    expect(codes(facts({ arch: 'riscv64', nodeVersion: 'v22.1.0' }))).toContain('info:NODE_PRESENT');
    expect(codes(facts({ nodeVersion: null, nodePath: null, decompressors: [] }))).toContain('blocker:NO_DECOMPRESSOR');
    expect(codes(facts({ os: 'alpine', libc: 'musl', nodeVersion: 'v22.11.0' }))).toContain('blocker:RUNTIME_NEEDS_GLIBC');
    expect(codes(facts({ os: 'alpine', libc: 'musl', nodeVersion: 'v24.1.0' }))).toContain('info:NODE_PRESENT');
    expect(codes(facts({ nodeVersion: null, nodePath: null, decompressors: [], cachedRuntimes: ['24.22.3'] }))).not.toContain('blocker:NO_DECOMPRESSOR');
    const blocked = assessPreflight(facts({ arch: 's390x', nodeVersion: null, nodePath: null })).find((i) => i.code === 'RUNTIME_ARCH_UNSUPPORTED');
    expect(blocked?.message).toMatch(/no Node runtime for s390x .* and it has no node/);
    expect(blocked?.fix).toMatch(/install Node.js 20 or newer/);
  });

  it('reads the runtime cache, the interpreter link and an installed package', () => {
    const parsed = parsePreflight(
      `${sample}\nspanwise_runtimes=24.22.3,20.11.0,\nspanwise_node_link=/opt/spanwise/runtime/24.22.3/node\nspanwise_package=deb\nspanwise_package_version=0.1.0\npackage_format=deb\ndecompressors=gzip \nlibc=musl`,
      0,
    );
    expect(parsed).toMatchObject({
      cachedRuntimes: ['24.22.3', '20.11.0'],
      nodeLink: '/opt/spanwise/runtime/24.22.3/node',
      agentPackage: 'deb',
      agentPackageVersion: '0.1.0',
      packageFormat: 'deb',
      decompressors: ['gzip'],
    });
  });
});

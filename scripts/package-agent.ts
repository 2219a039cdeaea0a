import { execFileSync } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostBundle } from '../electron/services/agent-bundle.js';
import { packageArch, pinnedRuntimes, runtimeArches, type RuntimeArch } from '../electron/services/onboarding/runtime-manifest.js';
import { buildAgentBundle } from './agent-bundle.js';
import { prepareRuntime } from './agent-runtime.js';
import { afterInstall, afterRemove, beforeRemove, commandWrapper, description, packagePaths, summary } from './package-agent-files.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const unitSource = join(root, 'agent/packaging/spanwise-agent.service');

/** The .deb and .rpm built for one arch. */
export interface AgentPackages {
  arch: RuntimeArch;
  deb: string;
  rpm: string;
}

async function put(tree: string, path: string, data: string | Buffer, mode: number): Promise<void> {
  await mkdir(dirname(join(tree, path)), { recursive: true });
  await writeFile(join(tree, path), data);
  await chmod(join(tree, path), mode);
}

/** Lays out the installed files of one arch under `tree` (owned by root when packaged). */
async function stageTree(tree: string, arch: RuntimeArch, bundle: Buffer): Promise<void> {
  const entry = pinnedRuntimes[arch];
  const runtime = await prepareRuntime(arch, entry);
  await put(tree, packagePaths.bundle, hostBundle(bundle), 0o755);
  await mkdir(dirname(join(tree, packagePaths.runtime(entry.version))), { recursive: true });
  await copyFile(runtime.node, join(tree, packagePaths.runtime(entry.version)));
  await chmod(join(tree, packagePaths.runtime(entry.version)), 0o755);
  await mkdir(dirname(join(tree, packagePaths.nodeLink)), { recursive: true });
  await symlink(`/${packagePaths.runtime(entry.version)}`, join(tree, packagePaths.nodeLink));
  await put(tree, packagePaths.command, commandWrapper, 0o755);
  await put(tree, packagePaths.unit, await readFile(unitSource), 0o644);
}

const script = (body: string) => `#!/bin/sh\nset -e\n${body}exit 0\n`;

async function buildDeb(tree: string, arch: RuntimeArch, version: string, out: string, fast: boolean): Promise<string> {
  const kib = Math.ceil(Number(execFileSync('du', ['-sk', '--apparent-size', tree], { encoding: 'utf8' }).split('\t')[0]));
  const control = [
    'Package: spanwise-agent',
    `Version: ${version}`,
    `Architecture: ${packageArch[arch].deb}`,
    'Maintainer: Spanwise contributors <team@spanwise.dev>',
    `Installed-Size: ${kib}`,
    ...(arch === 'armv7l' ? ['Depends: libatomic1'] : []),
    'Recommends: wireguard-tools, nftables',
    'Section: net',
    'Priority: optional',
    'Homepage: https://spanwise.dev',
    `Description: ${summary}`,
    ` ${description}`,
    '',
  ].join('\n');
  await put(tree, 'DEBIAN/control', control, 0o644);
  await put(tree, 'DEBIAN/postinst', script(`if [ "$1" = configure ]; then\n${afterInstall}fi\n`), 0o755);
  await put(tree, 'DEBIAN/prerm', script(beforeRemove('[ "$1" = remove ]')), 0o755);
  await put(tree, 'DEBIAN/postrm', script(afterRemove), 0o755);
  const file = join(out, `spanwise-agent_${version}_${packageArch[arch].deb}.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', ...(fast ? ['-Zgzip', '-z1'] : ['-Zxz']), '--build', tree, file], { stdio: ['ignore', 'ignore', 'inherit'] });
  await rm(join(tree, 'DEBIAN'), { recursive: true });
  return file;
}

async function buildRpm(tree: string, arch: RuntimeArch, version: string, out: string, fast: boolean): Promise<string> {
  const top = await mkdtemp(join(tmpdir(), 'spanwise-rpm-'));
  const rpmArch = packageArch[arch].rpm;
  const runtimeVersion = pinnedRuntimes[arch].version;
  const spec = `Name: spanwise-agent
Version: ${version}
Release: 1
Summary: ${summary}
License: Apache-2.0
URL: https://spanwise.dev
AutoReqProv: no
Recommends: wireguard-tools
${arch === 'armv7l' ? 'Requires: libatomic\n' : ''}
%global debug_package %{nil}
%global __os_install_post %{nil}
%global _build_id_links none
%global _binary_payload ${fast ? 'w1.gzdio' : 'w6T.xzdio'}

%description
${description}

%install
cp -a ${tree}/. %{buildroot}/

%post
${afterInstall}
%preun
${beforeRemove('[ "$1" -eq 0 ]')}
%postun
${afterRemove}
%files
%attr(0755,root,root) /${packagePaths.bundle}
%dir /opt/spanwise
%dir /opt/spanwise/bin
%dir /opt/spanwise/runtime
%dir /opt/spanwise/runtime/${runtimeVersion}
%attr(0755,root,root) /${packagePaths.runtime(runtimeVersion)}
/${packagePaths.nodeLink}
%attr(0755,root,root) /${packagePaths.command}
%attr(0644,root,root) /${packagePaths.unit}
`;
  try {
    await writeFile(join(top, 'spanwise-agent.spec'), spec);
    execFileSync('rpmbuild', ['-bb', '--quiet', '--target', rpmArch, '--define', `_topdir ${top}`, join(top, 'spanwise-agent.spec')], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const file = join(out, `spanwise-agent-${version}-1.${rpmArch}.rpm`);
    await copyFile(join(top, 'RPMS', rpmArch, `spanwise-agent-${version}-1.${rpmArch}.rpm`), file);
    return file;
  } finally {
    await rm(top, { recursive: true, force: true });
  }
}

/**
 * Builds `spanwise-agent_<version>_<arch>.deb` and `spanwise-agent-<version>-1.<arch>.rpm` for each arch into `out`.
 * Releases are xz-compressed; `fast` (for tests) compresses with gzip -1: the same files, built in a fraction of the time.
 */
export async function buildAgentPackages(
  arches: readonly RuntimeArch[] = runtimeArches,
  out = join(root, 'dist/packages'),
  { fast = false }: { fast?: boolean } = {},
): Promise<AgentPackages[]> {
  const version = (JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  await mkdir(out, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'spanwise-pkg-'));
  try {
    await buildAgentBundle(join(work, 'spanwise-agent.mjs'));
    const bundle = await readFile(join(work, 'spanwise-agent.mjs'));
    const built: AgentPackages[] = [];
    for (const arch of arches) {
      const tree = join(work, arch);
      await stageTree(tree, arch, bundle);
      const deb = await buildDeb(tree, arch, version, out, fast);
      built.push({ arch, deb, rpm: await buildRpm(tree, arch, version, out, fast) });
    }
    return built;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const wanted = process.argv.slice(2);
  const bad = wanted.filter((a) => !(runtimeArches as readonly string[]).includes(a));
  if (bad.length) {
    console.error(`usage: tsx scripts/package-agent.ts [${runtimeArches.join('|')} ...]   (unknown arch: ${bad.join(', ')})`);
    process.exit(2);
  }
  try {
    for (const p of await buildAgentPackages(wanted.length ? (wanted as RuntimeArch[]) : runtimeArches))
      for (const file of [p.deb, p.rpm]) console.log(`${file} (${(await stat(file)).size} bytes)`);
  } catch (error) {
    console.error(`package-agent: ${(error as Error).message}`);
    process.exit(1);
  }
}

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hostBundle } from '../electron/services/agent-bundle.js';
import type { PackageKind } from '../electron/services/onboarding/install-choice.js';
import type { PackageRecord } from '../electron/services/onboarding/package-files.js';
import { sha256File } from '../electron/services/onboarding/runtime-files.js';
import { packageArch, pinnedRuntimes, runtimeArches, type RuntimeArch } from '../electron/services/onboarding/runtime-manifest.js';
import { buildAgentBundle } from './agent-bundle.js';
import { prepareRuntime } from './agent-runtime.js';
import { afterInstall, afterRemove, beforeRemove, commandWrapper, description, packagePaths, summary } from './package-agent-files.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const unitSource = join(root, 'agent/packaging/spanwise-agent.service');
/** Where the app ships the packages from, and where onboarding in a checkout looks for them. */
export const defaultPackagesDir = join(root, 'dist/agent/packages');

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

/** What to build: which formats, how compressed, and from which agent bundle. */
export interface BuildOptions {
  /** gzip -1 instead of xz (for tests and on-demand builds): the same files, built in a fraction of the time. */
  fast?: boolean;
  /** A built agent bundle to package (onboarding passes the one it uploads); built from source when absent. */
  bundle?: string;
  kinds?: readonly PackageKind[];
}

/** Builds the packages of each arch into `out`, each with its record (`<file>.json`) that onboarding reads. */
export async function buildPackageFiles(
  arches: readonly RuntimeArch[],
  out: string,
  options: BuildOptions = {},
): Promise<Array<{ arch: RuntimeArch; kind: PackageKind; file: string }>> {
  const { fast = false, kinds = ['deb', 'rpm'] } = options;
  const version = (JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  await mkdir(out, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'spanwise-pkg-'));
  try {
    if (!options.bundle) await buildAgentBundle(join(work, 'spanwise-agent.mjs'));
    const bundle = await readFile(options.bundle ?? join(work, 'spanwise-agent.mjs'));
    const bundleSha256 = createHash('sha256').update(hostBundle(bundle)).digest('hex');
    const built: Array<{ arch: RuntimeArch; kind: PackageKind; file: string }> = [];
    for (const arch of arches) {
      const tree = join(work, arch);
      await stageTree(tree, arch, bundle);
      for (const kind of kinds) {
        const file = await (kind === 'deb' ? buildDeb : buildRpm)(tree, arch, version, out, fast);
        const record: PackageRecord = { kind, arch, version, sha256: await sha256File(file), bytes: (await stat(file)).size, bundleSha256 };
        await writeFile(`${file}.json`, `${JSON.stringify(record, null, 2)}\n`);
        built.push({ arch, kind, file });
      }
    }
    return built;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Builds `spanwise-agent_<version>_<arch>.deb` and `spanwise-agent-<version>-1.<arch>.rpm` for each arch into `out`
 * (dist/agent/packages, where the app ships them from). Releases are xz-compressed; `fast` compresses with gzip -1.
 */
export async function buildAgentPackages(
  arches: readonly RuntimeArch[] = runtimeArches,
  out = defaultPackagesDir,
  options: Omit<BuildOptions, 'kinds'> = {},
): Promise<AgentPackages[]> {
  const built = await buildPackageFiles(arches, out, options);
  const file = (arch: RuntimeArch, kind: PackageKind) => built.find((b) => b.arch === arch && b.kind === kind)?.file as string;
  return arches.map((arch) => ({ arch, deb: file(arch, 'deb'), rpm: file(arch, 'rpm') }));
}

const usage = `usage: tsx scripts/package-agent.ts [--bundle FILE] [--out DIR] [--kind deb|rpm] [--fast] [${runtimeArches.join('|')} ...]`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: { bundle: { type: 'string' }, out: { type: 'string' }, kind: { type: 'string' }, fast: { type: 'boolean' } },
    });
    const bad = positionals.filter((a) => !(runtimeArches as readonly string[]).includes(a));
    if (bad.length || (values.kind !== undefined && values.kind !== 'deb' && values.kind !== 'rpm'))
      throw new Error(`${usage}   (unknown ${bad.length ? `arch: ${bad.join(', ')}` : `--kind: ${values.kind}`})`);
    const arches = positionals.length ? (positionals as RuntimeArch[]) : runtimeArches;
    const options = {
      fast: values.fast === true,
      ...(values.bundle ? { bundle: values.bundle } : {}),
      ...(values.kind ? { kinds: [values.kind as PackageKind] } : {}),
    };
    for (const p of await buildPackageFiles(arches, values.out ?? defaultPackagesDir, options)) console.log(`${p.file} (${(await stat(p.file)).size} bytes)`);
  } catch (error) {
    console.error(`package-agent: ${(error as Error).message}`);
    process.exit(1);
  }
}

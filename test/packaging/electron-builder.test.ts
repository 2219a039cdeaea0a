// The desktop package as electron-builder makes it: `npm run build`, then
// `electron-builder --linux dir deb rpm` against a stand-in Electron folder
// (electronDist: no download) and a stand-in fpm (CUSTOM_FPM_PATH) that records
// the arguments electron-builder gives it. Where the machine allows it, the
// build runs with no network at all (`unshare -rn`), which shows it needs none.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPackage, extractAll, extractFile, listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceLayout } from '../../electron/services/paths.js';
import { buildApp } from '../browser/build-renderer.js';
import { readAgentBundle } from '../../electron/services/agent-bundle.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  main: string;
  homepage: string;
  author: { name: string; email: string };
};
const electronVersion = (JSON.parse(readFileSync(join(repo, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
/** electron-builder's own default package dependencies, read from its source. */
const { default: FpmTarget } = require('app-builder-lib/out/targets/FpmTarget.js') as {
  default: { prototype: { getDefaultDepends(target: string): string[] } };
};
const defaultDepends = (target: string) => FpmTarget.prototype.getDefaultDepends.call(null, target);

/** Packages that are bundled into dist/ or only build and test it: none may ship. */
const devOnly = [
  'react',
  'react-dom',
  'zustand',
  'tsx',
  'esbuild',
  'typescript',
  'vitest',
  'electron',
  'electron-builder',
  'playwright-core',
  'vite',
  'eslint',
];

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}
const sizeOf = (dir: string) => walk(dir).reduce((sum, file) => sum + statSync(file).size, 0);

/** The files of an unpacked Electron for Linux that electron-builder copies, renames or moves; the executable is a stand-in. */
async function stubElectron(dir: string): Promise<void> {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  writeFileSync(join(dir, 'electron'), '#!/bin/sh\necho "fake electron: a stand-in for packaging tests" >&2\nexit 1\n');
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'chrome-sandbox'), '');
  writeFileSync(join(dir, 'version'), `v${electronVersion}`);
  writeFileSync(join(dir, 'LICENSE'), "stand-in for Electron's LICENSE\n");
  writeFileSync(join(dir, 'LICENSES.chromium.html'), '<html>stand-in</html>\n');
  // electron-builder hashes every .asar under resources/, so this one must be a real archive.
  const defaultApp = join(dir, '..', 'default_app');
  mkdirSync(defaultApp, { recursive: true });
  writeFileSync(join(defaultApp, 'package.json'), '{"name":"default_app","main":"main.js"}\n');
  writeFileSync(join(defaultApp, 'main.js'), '\n');
  await createPackage(defaultApp, join(dir, 'resources/default_app.asar'));
}

/** A stand-in fpm: writes its arguments for the target to `<log dir>/<target>.args` and the package file it was asked for. */
function stubFpm(path: string, logDir: string): void {
  writeFileSync(
    path,
    [
      '#!/bin/sh',
      'target=""; out=""; prev=""',
      'for a in "$@"; do [ "$prev" = "-t" ] && target="$a"; [ "$prev" = "--package" ] && out="$a"; prev="$a"; done',
      `printf '%s\\n' "$@" > '${logDir}'/"$target".args`,
      'echo "stand-in package built by a fake fpm" > "$out"',
      '',
    ].join('\n'),
  );
  chmodSync(path, 0o755);
}

const noNetwork = spawnSync('unshare', ['-rn', 'true']).status === 0;

describe('the Linux package (electron-builder --linux dir deb rpm, stand-in Electron and fpm)', () => {
  let tmp: string;
  let out: string;
  let unpacked: string;
  let asar: string;
  let listing: string[];
  let log: string;
  const fpmArgs = (target: string) =>
    readFileSync(join(tmp, `${target}.args`), 'utf8')
      .trim()
      .split('\n');

  beforeAll(async () => {
    buildApp();
    tmp = mkdtempSync(join(tmpdir(), 'spanwise-package-'));
    out = join(tmp, 'release');
    await stubElectron(join(tmp, 'electron-dist'));
    stubFpm(join(tmp, 'fake-fpm'), tmp);

    const builder = [
      join(repo, 'node_modules/electron-builder/cli.js'),
      '--linux',
      'dir',
      'deb',
      'rpm',
      '--publish',
      'never',
      `-c.electronDist=${join(tmp, 'electron-dist')}`,
      `-c.electronVersion=${electronVersion}`,
      `-c.directories.output=${out}`,
    ];
    const command = noNetwork ? (['unshare', ['-rn', process.execPath, ...builder]] as const) : ([process.execPath, builder] as const);
    if (!noNetwork) console.log('unshare -rn is not available here: electron-builder runs with the network (it should need none)');
    const started = Date.now();
    const run = spawnSync(command[0], command[1], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 100_000,
      env: {
        ...process.env,
        CUSTOM_FPM_PATH: join(tmp, 'fake-fpm'),
        ELECTRON_BUILDER_CACHE: join(tmp, 'cache'),
        GH_TOKEN: '',
        GITHUB_TOKEN: '',
        CSC_IDENTITY_AUTO_DISCOVERY: 'false',
      },
    });
    log = `${run.stdout}\n${run.stderr}`;
    console.log(`electron-builder took ${((Date.now() - started) / 1000).toFixed(1)} s${noNetwork ? ' with no network' : ''}`);
    if (run.status !== 0)
      throw new Error(`electron-builder failed (exit ${run.status ?? run.signal}${run.error ? `, ${run.error.message}` : ''}):\n${log.slice(-4000)}`);
    unpacked = join(out, 'linux-unpacked');
    asar = join(unpacked, 'resources/app.asar');
    listing = listPackage(asar, { isPack: false }).map((entry) => entry.replace(/^[/\\]/, '').replaceAll('\\', '/'));
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('puts the app code into app.asar, and only what runs', () => {
    for (const file of ['package.json', pkg.main, 'dist/electron/preload.cjs', 'dist/renderer/index.html', 'dist/renderer/app.js']) {
      expect(listing, `app.asar lacks ${file}`).toContain(file);
    }
    const ownFiles = listing.filter((entry) => entry !== 'node_modules' && !entry.startsWith('node_modules/'));
    expect(
      ownFiles.filter((entry) => !/^(dist(\/(electron|renderer)(\/.*)?)?|package\.json)$/.test(entry)),
      'app.asar holds files outside dist/electron, dist/renderer and package.json',
    ).toEqual([]);
    expect(
      listing.filter((entry) => entry.endsWith('.map')),
      'source maps in app.asar',
    ).toEqual([]);
    expect(
      listing.filter((entry) => /\.(ts|mts|cts|tsx)$/.test(entry)),
      'TypeScript files in app.asar',
    ).toEqual([]);
    expect(
      listing.filter((entry) => /(^|\/)(test|tests|__tests__)\/|\.test\.[cm]?[jt]s$/.test(entry)),
      'test files in app.asar',
    ).toEqual([]);
  });

  it('ships every package main.mjs imports, and none of the dev-only ones', () => {
    const main = extractFile(asar, pkg.main).toString('utf8');
    const imported = new Set([...main.matchAll(/(?:from\s*|import\s*\(\s*|import\s+)["']([^"'./][^"']*)["']/g)].map((m) => m[1] ?? ''));
    const packages = [...imported]
      .filter((s) => !s.startsWith('node:') && s !== 'electron')
      .map((s) =>
        s
          .split('/')
          .slice(0, s.startsWith('@') ? 2 : 1)
          .join('/'),
      );
    expect(packages.length, 'found no package imports in main.mjs; the check would prove nothing').toBeGreaterThan(3);
    for (const name of new Set(packages))
      expect(listing, `app.asar lacks node_modules/${name}, which main.mjs imports`).toContain(`node_modules/${name}/package.json`);

    // Load each of them from the extracted app, away from the checkout's node_modules, as main.mjs would.
    const extracted = join(tmp, 'extracted');
    extractAll(asar, extracted);
    const specifiers = [...imported]
      .filter((s) => !s.startsWith('node:') && s !== 'electron')
      .sort((a, b) => Number(b === 'reflect-metadata') - Number(a === 'reflect-metadata'));
    const check = join(extracted, pkg.main.replace(/[^/]+$/, 'import-check.mjs'));
    writeFileSync(
      check,
      `const failed = [];\nfor (const s of ${JSON.stringify(specifiers)}) await import(s).catch((e) => failed.push(s + ': ' + e.message.split('\\n')[0]));\nconsole.log(JSON.stringify(failed));\n`,
    );
    const loaded = spawnSync(process.execPath, [check], { cwd: tmp, encoding: 'utf8', timeout: 30_000 });
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(JSON.parse(loaded.stdout.trim().split('\n').pop() ?? '[]'), 'packages main.mjs imports that do not load from app.asar').toEqual([]);

    const shipped = new Set(
      listing
        .filter((e) => e.startsWith('node_modules/'))
        .map((e) =>
          e
            .split('/')
            .slice(1, e.split('/')[1]?.startsWith('@') ? 3 : 2)
            .join('/'),
        ),
    );
    expect(
      devOnly.filter((name) => shipped.has(name)),
      'dev-only packages in app.asar',
    ).toEqual([]);
    console.log(`app.asar ships ${shipped.size} packages`);
  });

  it('puts the agent bundle, its systemd unit and the tray icon where resourceLayout() looks in the packaged app', async () => {
    const resourcesPath = join(unpacked, 'resources');
    const layout = resourceLayout({ packaged: true, appPath: asar, resourcesPath });
    for (const [name, path] of [
      ['agentBundle', layout.agentBundle],
      ['agentUnit', layout.agentUnit],
      ['trayIcon', layout.trayIcon],
    ] as const) {
      expect(existsSync(path), `${name}: ${relative(unpacked, path)} is missing from the package`).toBe(true);
    }
    for (const [name, path] of [
      ['rendererDir', join(layout.rendererDir, 'index.html')],
      ['preloadPath', layout.preloadPath],
    ] as const) {
      expect(path.startsWith(`${asar}/`), `${name} should point into app.asar: ${path}`).toBe(true);
      expect(listing, `${name}: ${relative(asar, path)} is missing from app.asar`).toContain(relative(asar, path));
    }
    expect(
      readFileSync(layout.agentBundle).equals(readFileSync(join(repo, 'dist/agent/spanwise-agent.mjs'))),
      'the packaged agent bundle differs from dist/agent',
    ).toBe(true);
    expect(readFileSync(layout.agentUnit, 'utf8')).toContain('[Service]');
    expect(readdirSync(join(resourcesPath, 'agent/packaging')).sort(), 'agent/packaging should ship only the unit and the OpenRC script').toEqual([
      'openrc',
      'spanwise-agent.service',
    ]);
    expect(await readAgentBundle(layout), 'onboarding cannot read the agent bundle, unit and OpenRC script from the package').not.toBeNull();
  });

  it('holds no native addon (.node) at all, so no ABI can be wrong', () => {
    const onDisk = walk(unpacked)
      .filter((file) => file.endsWith('.node'))
      .map((file) => relative(unpacked, file));
    const inAsar = listing.filter((entry) => entry.endsWith('.node'));
    console.log(`native addons: ${onDisk.length + inAsar.length}`);
    expect([...onDisk, ...inAsar], 'native addons in the package (none is expected: SQLite is node:sqlite)').toEqual([]);
    const nativeSources = listing.filter((entry) => /\.(gyp|gypi|c|cc|cpp|h|hpp)$/.test(entry) || /^node_modules\/(cpu-features|nan|buildcheck)\//.test(entry));
    expect(nativeSources, 'sources of native addons that are never built').toEqual([]);
  });

  it('prints the package size', () => {
    const resources = sizeOf(join(unpacked, 'resources'));
    console.log(
      `app.asar ${mb(statSync(asar).size)}; resources/ ${mb(resources)}; linux-unpacked ${mb(sizeOf(unpacked))} with a stand-in Electron (the real Electron runtime is not counted)`,
    );
    expect(statSync(asar).size, 'app.asar has grown past 25 MB').toBeLessThan(25e6);
  });

  it('passes the deb and rpm metadata checks and keeps the default Linux dependencies (rpm: plus libsecret)', () => {
    expect(log).not.toMatch(/Please specify (author 'email'|project homepage)/);
    for (const target of ['deb', 'rpm']) {
      const args = fpmArgs(target);
      const value = (flag: string) => args[args.indexOf(flag) + 1];
      expect(value('--name')).toBe(pkg.name);
      expect(value('--maintainer')).toBe(`${pkg.author.name} <${pkg.author.email}>`);
      expect(value('--url')).toBe(pkg.homepage);
      expect(value('--version')).toBe(pkg.version);
      const depends = args.flatMap((arg, i) => (args[i - 1] === '-d' ? [arg] : []));
      const expected = target === 'rpm' ? [...defaultDepends('rpm'), 'libsecret'] : defaultDepends(target);
      expect(depends, `${target} should depend on electron-builder's defaults${target === 'rpm' ? ' plus libsecret' : ''}`).toEqual(expected);
      expect(args).toContain(`${unpacked}/=/opt/Spanwise`);
    }
    expect(defaultDepends('deb')).toEqual(expect.arrayContaining(['libsecret-1-0', 'xdg-utils']));
    const artifacts = readdirSync(out).filter((file) => /\.(deb|rpm)$/.test(file));
    const arch = { x64: ['amd64', 'x86_64'], arm64: ['arm64', 'aarch64'] }[process.arch as 'x64' | 'arm64'] ?? [process.arch, process.arch];
    expect(artifacts.sort()).toEqual([`${pkg.name}-${pkg.version}-${arch[0]}.deb`, `${pkg.name}-${pkg.version}-${arch[1]}.rpm`].sort());
    expect(
      artifacts.filter((file) => file.includes(' ')),
      'artifact names with spaces',
    ).toEqual([]);
  });
});

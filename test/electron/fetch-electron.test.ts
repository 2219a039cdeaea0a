// A real `npm install` of a checkout wired as package.json wires this one
// (allowScripts and postinstall copied from it), from a registry on 127.0.0.1
// that serves a stand-in electron package: its install.js "downloads" the
// binary, or fails as the real one does without network.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from './main-harness.js';

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  allowScripts: Record<string, boolean>;
  scripts: Record<string, string>;
};
const tmp = mkdtempSync(join(tmpdir(), 'spanwise fetch-electron '));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** install.js of the stand-in: logs who ran it, then fails like a download without network, or installs a binary. */
const installJs = `const fs = require('node:fs');
fs.appendFileSync(__dirname + '/runs.log', (process.env.npm_package_name || '-') + '\\n');
if (process.env.FAKE_DOWNLOAD === 'fail') {
  console.error('RequestError: getaddrinfo ENOTFOUND downloads.invalid\\n    at ClientRequest.<anonymous> (got/index.js:970:111)');
  process.exit(1);
}
fs.mkdirSync(__dirname + '/dist', { recursive: true });
fs.writeFileSync(__dirname + '/dist/electron', '#!/bin/sh\\n', { mode: 0o755 });
fs.writeFileSync(__dirname + '/path.txt', 'electron');
`;

let registry: Server;
let registryUrl = '';

/** Packs the stand-in electron and serves its packument and tarball, as a registry does. */
beforeAll(async () => {
  const source = join(tmp, 'electron-source');
  mkdirSync(source);
  writeFileSync(join(source, 'package.json'), JSON.stringify({ name: 'electron', version: '41.0.0', scripts: { postinstall: 'node install.js' } }));
  writeFileSync(join(source, 'install.js'), installJs);
  const packed = spawnSync('npm', ['pack', '--silent', '--pack-destination', tmp], { cwd: source, env: cleanEnv(), encoding: 'utf8' });
  expect(packed.status, packed.stderr).toBe(0);
  const tarball = readFileSync(join(tmp, 'electron-41.0.0.tgz'));
  const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
  registry = createServer((request, response) => {
    if (request.url === '/electron/-/electron-41.0.0.tgz') return void response.end(tarball);
    if (request.url !== '/electron') return void response.writeHead(404).end('{}');
    const version = {
      name: 'electron',
      version: '41.0.0',
      scripts: { postinstall: 'node install.js' },
      dist: { tarball: `${registryUrl}electron/-/electron-41.0.0.tgz`, integrity },
    };
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ name: 'electron', 'dist-tags': { latest: '41.0.0' }, versions: { '41.0.0': version } }));
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((resolve) => registry?.close(resolve)));

/** A checkout with the two scripts, wired like package.json, depending on electron. */
function project(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  for (const script of ['fetch-electron.mjs', 'electron-binary.mjs']) copyFileSync(join(root, 'scripts', script), join(dir, 'scripts', script));
  const manifest = {
    name: 'checkout',
    version: '1.0.0',
    private: true,
    scripts: { postinstall: pkg.scripts.postinstall },
    dependencies: { electron: '41.0.0' },
    allowScripts: { electron: pkg.allowScripts.electron },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|ELECTRON_)/i.test(key))),
    npm_config_cache: join(tmp, 'npm-cache'),
    npm_config_userconfig: join(tmp, 'npmrc'),
    ...extra,
  };
}

/** Runs `npm install` against the local registry (async: the registry answers from this process). */
function npmInstall(dir: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const child = spawn('npm', ['install', '--registry', registryUrl, '--no-audit', '--no-fund'], { cwd: dir, env: cleanEnv(env) });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

const electronOf = (dir: string) => join(dir, 'node_modules/electron');
const runsOf = (dir: string) => {
  const log = join(electronOf(dir), 'runs.log');
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
};

describe('npm install and the Electron binary', () => {
  it('succeeds when the download fails, saying what happened and what still works', async () => {
    const dir = project('offline');
    const run = await npmInstall(dir, { FAKE_DOWNLOAD: 'fail' });
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain("Electron's binary was not installed: its download failed: RequestError: getaddrinfo ENOTFOUND downloads.invalid.");
    expect(run.out).toContain('`npm start` tries the download again');
    expect(run.out).not.toContain('at ClientRequest');
    expect(runsOf(dir), "electron's own install script runs once, from the checkout's postinstall").toEqual(['checkout']);
    expect(existsSync(join(electronOf(dir), 'package.json'))).toBe(true);
  }, 120_000);

  it('installs the binary where the download works, and fetches it only once', async () => {
    const dir = project('online');
    const run = await npmInstall(dir, {});
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain("Electron's binary is installed (");
    expect(existsSync(join(electronOf(dir), 'dist/electron'))).toBe(true);
    const again = spawnSync(process.execPath, ['scripts/fetch-electron.mjs'], { cwd: dir, env: cleanEnv(), encoding: 'utf8' });
    expect(again.stdout).toBe("Electron's binary is installed.\n");
    expect(runsOf(dir)).toEqual(['checkout']);
  }, 120_000);

  it('downloads nothing under ELECTRON_SKIP_BINARY_DOWNLOAD, and says so', async () => {
    const dir = project('skip');
    const run = await npmInstall(dir, { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain("Electron's binary was not installed: ELECTRON_SKIP_BINARY_DOWNLOAD is set");
    expect(runsOf(dir)).toEqual([]);
  }, 120_000);
});

// `npm start` (scripts/start.mjs) run in Node as a user runs it, with a stand-in
// for the Electron binary (a shell script named fake-electron, given through
// SPANWISE_ELECTRON_BINARY) so the sandbox abort and a checkout path with a
// space can be shown here, where the real binary cannot be downloaded.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../browser/build-renderer.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const sandboxAbort =
  "[7:FATAL:setuid_sandbox_host.cc(158)] The SUID sandbox helper binary was found, but is not configured correctly. Rather than run without sandboxing I'm aborting now.";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The web UI's index page, fetched from the printed URL before the run was stopped. */
  page?: string;
}

/** Opens the web UI as a browser does: the token URL answers with a cookie and a redirect to the page. */
async function openPage(url: string): Promise<string> {
  let response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (location)
    response = await fetch(new URL(location, url), {
      headers: {
        cookie: response.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; '),
      },
    });
  return `${response.status} ${await response.text()}`;
}

describe.skipIf(process.platform === 'win32' && !process.env.CI)('npm start (scripts/start.mjs)', () => {
  let tmp: string;

  beforeAll(() => {
    buildApp();
    tmp = mkdtempSync(join(tmpdir(), 'spanwise start '));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** Writes a stand-in Electron: it records its arguments, prints `stderr` and exits with `code`. */
  function fakeElectron(name: string, stderr: string, code: number): { binary: string; argsFile: string } {
    const dir = join(tmp, name);
    mkdirSync(dir, { recursive: true });
    const binary = join(dir, 'fake-electron');
    const argsFile = join(dir, 'args');
    writeFileSync(binary, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\nprintf '%s\\n' '${stderr.replaceAll("'", "'\\''")}' >&2\nexit ${code}\n`);
    chmodSync(binary, 0o755);
    return { binary, argsFile };
  }

  /** Runs start.mjs; once the web UI prints its URL, fetches the page and stops the run (SIGTERM). */
  function start(script: string, env: Record<string, string | undefined>, nodeFlags: string[] = []): Promise<Run> {
    const home = mkdtempSync(join(tmp, 'home-'));
    const child = spawn(process.execPath, [...nodeFlags, script], {
      cwd: tmp,
      env: { ...process.env, DISPLAY: undefined, WAYLAND_DISPLAY: undefined, SPANWISE_NO_ELECTRON: undefined, SPANWISE_HOME: home, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: Run = { code: null, stdout: '', stderr: '' };
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      const before = run.stdout;
      run.stdout += chunk.toString();
      const url = /Spanwise web UI: (\S+)/.exec(run.stdout)?.[1];
      if (!url || /Spanwise web UI: /.test(before)) return;
      openPage(url)
        .then((page) => (run.page = page))
        .catch((error: unknown) => (run.page = `fetch failed: ${String(error)}`))
        .finally(() => child.kill('SIGTERM'));
    });
    return new Promise((resolve) =>
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ ...run, code });
      }),
    );
  }

  const script = join(repo, 'scripts/start.mjs');
  const servedWebUi = (run: Run) => {
    expect(run.stdout, run.stderr).toMatch(/Spanwise web UI: http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/);
    expect(run.page).toMatch(/^200 [\s\S]*<html/i);
  };

  it('prints the sandbox fix when Electron aborts for want of a sandbox, and serves the web UI instead', async () => {
    const fake = fakeElectron('sandbox', sandboxAbort, 1);
    const run = await start(script, { DISPLAY: ':99', SPANWISE_ELECTRON_BINARY: fake.binary });
    expect(run.stderr).toContain(sandboxAbort);
    expect(run.stderr).toContain('sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0');
    expect(run.stderr).toContain('/etc/apparmor.d/spanwise-electron');
    expect(run.stderr).toContain(`sudo chown root "${join(tmp, 'sandbox', 'chrome-sandbox')}" && sudo chmod 4755`);
    expect(run.stdout).toContain("Electron cannot start without Linux's sandbox: serving the web UI instead.");
    servedWebUi(run);
    const args = readFileSync(fake.argsFile, 'utf8').trim().split('\n');
    expect(args).toEqual([repo]);
    expect(args).not.toContain('--no-sandbox');
  });

  it("exits with Electron's code, and starts nothing else, when Electron fails for another reason", async () => {
    const fake = fakeElectron('crash', 'something else went wrong', 3);
    const run = await start(script, { DISPLAY: ':99', SPANWISE_ELECTRON_BINARY: fake.binary });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('something else went wrong');
    expect(run.stderr).not.toContain('apparmor');
    expect(run.stdout).not.toContain('web UI');
  });

  it('serves the web UI, saying why, when Electron cannot open the display it was given', async () => {
    const fake = fakeElectron(
      'display',
      '[9:ERROR:ui/ozone/platform/x11/ozone_platform_x11.cc:250] Missing X server or $DISPLAY\n[9:ERROR:ui/aura/env.cc:257] The platform failed to initialize.  Exiting.',
      1,
    );
    const run = await start(script, { DISPLAY: ':99', SPANWISE_ELECTRON_BINARY: fake.binary });
    expect(run.stderr).toContain('Missing X server or $DISPLAY');
    expect(run.stdout).toContain('Electron could not open the display (DISPLAY=:99): serving the web UI instead.');
    expect(run.stderr).not.toContain('apparmor');
    servedWebUi(run);
  });

  it('says why it serves the web UI: no display, or no Electron binary', async () => {
    const noDisplay = await start(script, {});
    expect(noDisplay.stdout).toContain('No display found (DISPLAY and WAYLAND_DISPLAY are unset): serving the web UI instead.');
    servedWebUi(noDisplay);

    const missing = join(tmp, 'nowhere', 'electron');
    const noBinary = await start(script, { DISPLAY: ':99', SPANWISE_ELECTRON_BINARY: missing });
    expect(noBinary.stdout).toContain(`Electron is not available (SPANWISE_ELECTRON_BINARY=${missing} does not exist): serving the web UI instead.`);
    servedWebUi(noBinary);
  });

  it('runs from a checkout whose path has a space in it', async () => {
    // The checkout is reached through a symlink under a folder with a space;
    // --preserve-symlinks-main keeps that path as start.mjs's own URL.
    const parent = join(tmp, 'my projects');
    mkdirSync(parent);
    const checkout = join(parent, 'spanwise');
    symlinkSync(repo, checkout, 'dir');
    const spaced = join(checkout, 'scripts/start.mjs');

    const fake = fakeElectron('app', '', 0);
    const app = await start(spaced, { DISPLAY: ':99', SPANWISE_ELECTRON_BINARY: fake.binary }, ['--preserve-symlinks-main']);
    expect(app.code, app.stderr).toBe(0);
    const [appPath] = readFileSync(fake.argsFile, 'utf8').trim().split('\n');
    expect(appPath).toBe(`${checkout}/`);
    expect(existsSync(join(appPath ?? '', 'package.json'))).toBe(true);

    const web = await start(spaced, {}, ['--preserve-symlinks-main']);
    servedWebUi(web);
  });
});

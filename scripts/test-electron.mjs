// `npm run test:electron`: the desktop app in the real Electron binary, driven
// by Playwright's Electron driver (under xvfb-run where there is no display):
// the window opens, a cluster is created through the UI, the mesh screen renders.
// Not part of `npm test`: it needs Electron's binary, which npm downloads on
// install where the network allows it.
//
// Exit codes: 0 passed, 1 failed, 77 did not run (the automake code for a
// skipped test), so a machine without the binary is never counted as a pass.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installedElectron } from './electron-binary.mjs';
import { sandboxFailed, sandboxFix } from './start-sandbox.mjs';

const NOT_RUN = 77;
const root = fileURLToPath(new URL('..', import.meta.url));

function notRun(why, fix = '') {
  console.error(`${why}: test:electron did not run${fix ? `; ${fix}` : '.'}`);
  process.exit(NOT_RUN);
}

function electronBinary() {
  const binary = installedElectron();
  if (binary) return binary;
  notRun(
    'Electron binary not installed (node_modules/electron/dist missing)',
    'on a machine with internet run `node scripts/fetch-electron.mjs` (what `npm install` runs), then run it again.',
  );
}

const binary = electronBinary();

// No display: run this script again under a virtual X server.
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  if (process.env.SPANWISE_UNDER_XVFB) notRun('xvfb-run gave no DISPLAY');
  const run = spawnSync('xvfb-run', ['-a', '-s', '-screen 0 1280x900x24', process.execPath, fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, SPANWISE_UNDER_XVFB: '1' },
  });
  if (run.error?.code === 'ENOENT') notRun('No display, and xvfb-run is not installed', 'install the Debian package xvfb, or run it on a desktop.');
  process.exit(run.status ?? 1);
}

const build = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/build.ts')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('test:electron FAILED: npm run build failed');
  process.exit(1);
}

const { _electron } = await import('playwright-core');
const home = mkdtempSync(join(tmpdir(), 'spanwise-electron-'));
const screenshot = join(root, 'test/e2e/screenshots/electron-mesh.png');
// Chromium's sandbox refuses to run as root (CI runs as root); the app itself never turns it off.
const sandboxArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
if (sandboxArgs.length) console.log('Running as root: this test passes --no-sandbox to Electron (the app and npm start never do).');

let app;
let step = 'launch Electron';
try {
  app = await _electron.launch({
    executablePath: binary,
    args: [root, `--user-data-dir=${join(home, 'user-data')}`, ...sandboxArgs],
    cwd: root,
    env: { ...process.env, SPANWISE_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config') },
    timeout: 60_000,
  });
  step = 'the window opens';
  const page = await app.firstWindow({ timeout: 30_000 });
  await page.getByTestId('current-cluster').waitFor({ timeout: 30_000 });
  console.log(`window open: ${await page.title()}`);

  step = 'create a cluster through the UI';
  await page.getByTestId('nav-clusters').click();
  const form = page.getByTestId('cluster-form');
  await form.getByLabel('Cluster name').fill('desktop');
  await form.getByRole('button', { name: 'Create cluster' }).click();
  await page.getByTestId('current-cluster').filter({ hasText: 'Cluster: desktop' }).waitFor({ timeout: 15_000 });
  console.log('cluster created: desktop');

  step = 'the mesh screen renders';
  await page.getByTestId('nav-mesh').click();
  await page
    .getByTestId('mesh-summary')
    .filter({ hasText: /\d+ nodes/ })
    .waitFor({ timeout: 15_000 });
  await page.getByTestId('mesh-matrix').waitFor({ timeout: 15_000 });
  console.log(`mesh screen: ${await page.getByTestId('mesh-summary').textContent()}`);

  step = 'take a screenshot';
  mkdirSync(join(root, 'test/e2e/screenshots'), { recursive: true });
  await page.screenshot({ path: screenshot });
  console.log(`screenshot: ${screenshot}`);
  console.log('test:electron passed');
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`test:electron FAILED at "${step}": ${message}`);
  if (sandboxFailed(message)) console.error(sandboxFix(binary));
  process.exitCode = 1;
} finally {
  await app?.close().catch(() => undefined);
  rmSync(home, { recursive: true, force: true });
}

// `npm start`: runs the desktop app in Electron where a display exists and the
// binary is present (downloading it first if npm did not); otherwise, or when
// Linux's sandbox stops Electron, serves the same UI on 127.0.0.1 with a
// per-run token and prints the URL (`spanwise web`), saying why.
//
// SPANWISE_NO_ELECTRON=1 always serves the web UI. SPANWISE_ELECTRON_BINARY
// names an executable to run instead of node_modules/electron's (the tests
// use a stand-in there).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxFailed, sandboxFix } from './start-sandbox.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const electronDir = join(root, 'node_modules', 'electron');
const forwarded = process.argv.slice(2);
const fetchTimeoutSeconds = 300;

/** The Electron executable to run, or null. */
function findElectron() {
  const override = process.env.SPANWISE_ELECTRON_BINARY;
  if (override) return existsSync(override) ? override : null;
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** Runs electron's own install script with its progress shown; returns why it did not work, or null. */
function fetchElectron() {
  if (process.env.SPANWISE_ELECTRON_BINARY) return `SPANWISE_ELECTRON_BINARY=${process.env.SPANWISE_ELECTRON_BINARY} does not exist`;
  if (!existsSync(join(electronDir, 'install.js'))) return 'the electron package is not installed (run npm install)';
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return 'ELECTRON_SKIP_BINARY_DOWNLOAD is set, so its binary was never downloaded';
  const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8'));
  console.log(`Electron's binary is missing (node_modules/electron/dist); downloading Electron ${version} (about 100 MB, up to ${fetchTimeoutSeconds} s)...`);
  const run = spawnSync(process.execPath, ['install.js'], { cwd: electronDir, stdio: 'inherit', timeout: fetchTimeoutSeconds * 1000 });
  if (run.error?.code === 'ETIMEDOUT') return `its download did not finish within ${fetchTimeoutSeconds} s`;
  if (run.error) return `its install script did not run: ${run.error.message}`;
  if (run.status !== 0) return `its download failed (install.js exited with ${run.status ?? run.signal}; see above)`;
  return findElectron() ? null : 'install.js finished, but the binary is still missing';
}

let child;
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child?.kill(signal));

function serveWeb(reason) {
  console.log(`${reason}: serving the web UI instead.`);
  child = spawn(process.execPath, [join(root, 'bin', 'spanwise.mjs'), 'web', ...forwarded], { stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/** Runs the app; Electron's stderr is passed through and read for the sandbox abort. */
function runElectron(binary) {
  child = spawn(binary, [root, ...forwarded], { stdio: ['inherit', 'inherit', 'pipe'] });
  let stderrTail = '';
  child.stderr.on('data', (chunk) => {
    process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk.toString()).slice(-16_384);
  });
  let failedToSpawn = false;
  child.on('error', (error) => {
    failedToSpawn = true;
    serveWeb(`Electron did not start (${error.message})`);
  });
  child.on('exit', (code) => {
    if (failedToSpawn) return;
    if (code === 0) process.exit(0);
    if (!sandboxFailed(stderrTail)) process.exit(code ?? 1);
    console.error(sandboxFix(binary));
    serveWeb("Electron cannot start without Linux's sandbox");
  });
}

const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
if (process.env.SPANWISE_NO_ELECTRON === '1') serveWeb('SPANWISE_NO_ELECTRON=1 is set');
else if (!hasDisplay) serveWeb('No display found (DISPLAY and WAYLAND_DISPLAY are unset)');
else {
  const binary = findElectron();
  const missing = binary ? null : fetchElectron();
  if (missing) serveWeb(`Electron is not available (${missing})`);
  else runElectron(binary ?? findElectron());
}

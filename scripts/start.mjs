// `npm start`: runs the desktop app in Electron where a display exists and the
// binary is present (downloading it first if npm did not); otherwise, or when
// Linux's sandbox stops Electron or the display cannot be opened, serves the
// same UI on 127.0.0.1 with a per-run token and prints the URL (`spanwise web`),
// saying why.
//
// SPANWISE_NO_ELECTRON=1 always serves the web UI. SPANWISE_ELECTRON_BINARY
// names an executable to run instead of node_modules/electron's (the tests
// use a stand-in there).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchElectron, installedElectron } from './electron-binary.mjs';
import { sandboxFailed, sandboxFix } from './start-sandbox.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const forwarded = process.argv.slice(2);

/** The Electron executable to run, or null. */
function findElectron() {
  const override = process.env.SPANWISE_ELECTRON_BINARY;
  if (override) return existsSync(override) ? override : null;
  return installedElectron();
}

/** Why Electron cannot be had now, or null once it is installed. */
function electronMissing() {
  if (process.env.SPANWISE_ELECTRON_BINARY) return `SPANWISE_ELECTRON_BINARY=${process.env.SPANWISE_ELECTRON_BINARY} does not exist`;
  console.log("Electron's binary is missing (node_modules/electron/dist).");
  return fetchElectron();
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
    if (sandboxFailed(stderrTail)) {
      console.error(sandboxFix(binary));
      serveWeb("Electron cannot start without Linux's sandbox");
    } else if (displayFailed(stderrTail)) serveWeb(`Electron could not open the display (${displayNames()})`);
    else process.exit(code ?? 1);
  });
}

/** Whether Electron's stderr shows it stopped because the display named in the environment cannot be reached. */
function displayFailed(stderr) {
  return /Missing X server or \$DISPLAY|cannot open display|Failed to connect to Wayland display/i.test(stderr);
}

const displayNames = () =>
  ['DISPLAY', 'WAYLAND_DISPLAY']
    .filter((name) => process.env[name])
    .map((name) => `${name}=${process.env[name]}`)
    .join(', ');

const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
if (process.env.SPANWISE_NO_ELECTRON === '1') serveWeb('SPANWISE_NO_ELECTRON=1 is set');
else if (!hasDisplay) serveWeb('No display found (DISPLAY and WAYLAND_DISPLAY are unset)');
else {
  const binary = findElectron();
  const missing = binary ? null : electronMissing();
  if (missing) serveWeb(`Electron is not available (${missing})`);
  else runElectron(binary ?? findElectron());
}

// `npm start`: runs the desktop app in Electron where its binary is present (or
// can be fetched, and a display exists); otherwise serves the same UI on
// 127.0.0.1 with a per-run token and prints the URL (`spanwise web`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const electronDir = join(root, 'node_modules/electron');
const forwarded = process.argv.slice(2);

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

function tryFetchElectron() {
  if (!existsSync(join(electronDir, 'install.js')) || process.env.SPANWISE_NO_ELECTRON === '1') return;
  console.log('Electron binary missing; trying to fetch it (5 s limit)...');
  spawnSync(process.execPath, ['install.js'], { cwd: electronDir, stdio: 'ignore', timeout: 5000 });
}

const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
let binary = process.env.SPANWISE_NO_ELECTRON === '1' ? null : electronBinary();
if (!binary && hasDisplay) {
  tryFetchElectron();
  binary = electronBinary();
}

const child = binary && hasDisplay
  ? spawn(binary, [root, ...forwarded], { stdio: 'inherit' })
  : (console.log(binary ? 'No display found: serving the web UI instead.' : 'Electron is not available here: serving the web UI instead.'),
    spawn(process.execPath, [join(root, 'bin/spanwise.mjs'), 'web', ...forwarded], { stdio: 'inherit' }));

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

// Electron's binary in a checkout: where node_modules/electron keeps it, and
// its download by electron's own install script, with the output shown and a
// time limit. Used by `npm install` (postinstall), `npm start` and
// `npm run test:electron`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The electron package of this checkout. */
export const electronDir = join(fileURLToPath(new URL('..', import.meta.url)), 'node_modules', 'electron');

/** How long the download may take. */
export const fetchTimeoutSeconds = 300;

/** The installed Electron executable, or null. */
export function installedElectron() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** The line of what install.js printed on stderr that says what went wrong: the error itself, not its stack. */
function errorLine(stderr) {
  const lines = stderr.split('\n').map((line) => line.trim());
  return lines.find((line) => /^[A-Za-z]*Error\b/.test(line)) ?? lines.find(Boolean) ?? '';
}

/** Downloads Electron's binary with its own install script; returns why it did not work, or null. */
export function fetchElectron() {
  if (!existsSync(join(electronDir, 'install.js'))) return 'the electron package is not installed (run npm install)';
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return 'ELECTRON_SKIP_BINARY_DOWNLOAD is set, so its binary is not downloaded';
  const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8'));
  console.log(`Downloading Electron ${version} for this OS (about 100 MB, up to ${fetchTimeoutSeconds} s)...`);
  const run = spawnSync(process.execPath, ['install.js'], {
    cwd: electronDir,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    timeout: fetchTimeoutSeconds * 1000,
  });
  if (run.error?.code === 'ETIMEDOUT') return `its download did not finish within ${fetchTimeoutSeconds} s`;
  if (run.error) return `its install script did not run: ${run.error.message}`;
  if (run.status !== 0) return `its download failed: ${errorLine(run.stderr) || `install.js exited with ${run.status ?? run.signal}`}`;
  return installedElectron() ? null : 'install.js finished, but the binary is still missing';
}

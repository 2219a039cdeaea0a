#!/usr/bin/env node
// `npm test`. The lab (one per machine, its files one at a time, mostly waiting on networks) runs in its
// own vitest process; beside it, one after another, the static checks (typecheck, lint, formatter, proto
// lint) and the other vitest projects. So the run takes about as long as the lab alone. dist/ is built
// once before both start: no test rebuilds it while another reads it. Arguments are test files or
// filters: then only vitest runs, on those.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const vitest = (...projects) => [
  process.execPath,
  fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url)),
  'run',
  ...projects.flatMap((p) => ['--project', p]),
  ...(filters.length ? ['--passWithNoTests', ...filters] : []),
];
const checks = filters.length ? [] : ['typecheck', 'lint', 'format:check', 'proto:lint'].map((script) => [npm, 'run', '--silent', script]);
const lanes = [
  { tag: 'lab  ', steps: [vitest('lab')] },
  { tag: 'other', steps: [...checks, [...vitest('node', 'browser', 'packaging'), '--maxWorkers', '1']] },
];

const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const env = { ...process.env, SPANWISE_TEST_DIST_BUILT: '1' };

/** Runs one command, each output line tagged; resolves to its exit code. */
function step(tag, [command, ...args]) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const [stream, out] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      createInterface({ input: stream }).on('line', (line) => out.write(`${tag} | ${line}\n`));
    }
    child.on('error', (error) => {
      process.stderr.write(`${tag} | ${command}: ${error.message}\n`);
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Runs a lane's steps in order, stopping at the first that fails. */
async function lane({ tag, steps }) {
  for (const command of steps) {
    const code = await step(tag, command);
    if (code !== 0) return { tag, code, failed: command.slice(1).join(' ') };
  }
  return { tag, code: 0 };
}

const results = await Promise.all(lanes.map(lane));
for (const { tag, code, failed } of results) console.log(`${tag.trim()}: ${code === 0 ? 'passed' : `failed (exit ${code}) in: ${failed}`}`);
process.exit(results.some((r) => r.code !== 0) ? 1 : 0);

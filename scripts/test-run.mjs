#!/usr/bin/env node
// The vitest part of `npm test`. The lab (one per machine, its files one at a time, mostly waiting on
// networks) runs in its own vitest process beside the other projects, so the run takes about as long as
// the lab alone. dist/ is built once before both start: no test rebuilds it while another reads it.
// Extra arguments go to both vitest processes (for example a file filter).
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const extra = process.argv.slice(2);

const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const env = { ...process.env, SPANWISE_TEST_DIST_BUILT: '1' };
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const runs = [
  { tag: 'lab  ', args: ['--project', 'lab'] },
  { tag: 'other', args: ['--project', 'node', '--project', 'browser', '--project', 'packaging', '--maxWorkers', '1'] },
];

/** Runs one vitest process, each output line tagged with its name; resolves to its exit code. */
function run({ tag, args }) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitest, 'run', ...args, ...(extra.length ? ['--passWithNoTests', ...extra] : [])], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const [stream, out] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      createInterface({ input: stream }).on('line', (line) => out.write(`${tag} | ${line}\n`));
    }
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const codes = await Promise.all(runs.map(run));
runs.forEach(({ tag }, i) => console.log(`${tag.trim()}: ${codes[i] === 0 ? 'passed' : `failed (exit ${codes[i]})`}`));
process.exit(codes.some((code) => code !== 0) ? 1 : 0);

// Runs every bench/*.bench.ts in turn (or those named on the command line).
// Each prints lines of the form `name: value unit (ratio x vs baseline)`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const wanted = process.argv.slice(2);
const files = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`# ${file}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join('bench', file)], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.log(`# ${file} failed (exit ${result.status})`);
    failed += 1;
  }
}
process.exitCode = failed ? 1 : 0;

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Builds dist/ (renderer included) so browser tests run against what `npm start` serves. Under
 * `npm test` (scripts/test-run.mjs) dist/ is built once before any test starts, so nothing rebuilds
 * it while another test reads it.
 */
export function buildApp(): void {
  if (process.env.SPANWISE_TEST_DIST_BUILT === '1') return;
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build failed: ${result.stderr}`);
}

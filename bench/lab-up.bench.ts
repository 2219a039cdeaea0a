// Times `lab up hybrid` and `lab down` (3 rounds, median) against the issue's
// budget of 20 s for `up hybrid`. Refuses to touch a lab someone has up, and
// always takes down what it built.
import { upLab } from '../test/lab/builder.js';
import { downLab } from '../test/lab/cleanup.js';
import { labIsFree } from './lab-guard.js';
import { percentile, report } from './report.js';

const ROUNDS = 3;
const BUDGET_S = 20;

async function main(): Promise<number> {
  if (!(await labIsFree('lab-up'))) return 1;
  const up: number[] = [];
  const down: number[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      let t = performance.now();
      await upLab('hybrid', { fresh: true });
      up.push((performance.now() - t) / 1000);
      t = performance.now();
      await downLab();
      down.push((performance.now() - t) / 1000);
    }
  } finally {
    await downLab();
  }
  report('lab up hybrid, median of 3 (baseline: issue budget 20 s)', percentile(up, 50), 's', BUDGET_S, '< 20 s');
  report('lab down hybrid, median of 3 (baseline: issue budget 20 s)', percentile(down, 50), 's', BUDGET_S);
  return 0;
}

process.exitCode = await main();

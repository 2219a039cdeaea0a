import type { SiteKind } from '../../electron/contract/index.js';
import { clusterNameSchema, machineNameSchema } from '../../electron/contract/fields.js';

type Schema = { safeParse(value: unknown): { success: boolean } };

/** The first `candidate(n)` (n = 1, 2, ...) not taken, if `schema` accepts it. */
function firstFree(candidate: (n: number) => string, taken: readonly string[], schema: Schema): string | null {
  for (let n = 1; n < 1000; n += 1) {
    const name = candidate(n);
    if (!taken.includes(name)) return schema.safeParse(name).success ? name : null;
  }
  return null;
}

/** A machine name to offer: the site and a number (`edge-1`, `edge-2`), valid as a machine name and not taken. */
export const suggestMachineName = (site: SiteKind, taken: readonly string[]): string | null => firstFree((n) => `${site}-${n}`, taken, machineNameSchema);

/** A cluster name to offer (`lab`, then `lab-2`...), valid as a cluster name and not taken. */
export const suggestClusterName = (taken: readonly string[]): string | null => firstFree((n) => (n === 1 ? 'lab' : `lab-${n}`), taken, clusterNameSchema);

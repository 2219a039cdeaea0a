import type { HostFix } from '../../../contract/diagnosis.js';
import { shellQuote } from '../../ssh/shell.js';
import type { BootPaths } from './boot-paths.js';
import { runAllScript } from './revert-guard.js';
import { rulePlan, type RulePlan } from './rule-plan.js';

/** The scripts of one fix on its host: the guarded apply, and the revert the guard (or a failed apply) runs. */
export interface FixScripts {
  apply: string;
  /** Shell lines that undo everything `apply` did: the live rules (from the undo file) and the persisted ones. */
  revert: string[];
  plan: RulePlan | null;
}

/** Where the record of an applied fix is kept on its host (it outlives reboots, for a later revert). */
export const recordPath = (paths: BootPaths, fixId: string) => `${paths.fixRecords}/${fixId}.json`;

/**
 * The scripts for a fix: for a fix that opens a port, built from its rule
 * (runtime change recording its undo, then persistence, then a record of the
 * fix); for a fix of plain commands, its own commands. Null when the rule's
 * names do not pass validation.
 */
export function fixScripts(fix: HostFix, undo: string, paths: BootPaths, persist: boolean): FixScripts | null {
  if (!fix.rule) return { apply: runAllScript(fix.apply), revert: fix.revert, plan: null };
  const plan = rulePlan(fix.firewall, fix.rule, paths);
  if (!plan) return null;
  const record = recordPath(paths, fix.rule.id);
  return {
    apply: [
      'set -e',
      `rm -f ${shellQuote(undo)}`,
      ...plan.runtime(undo),
      ...plan.persist(persist),
      `mkdir -p ${shellQuote(paths.fixRecords)}`,
      `printf '%s' ${shellQuote(JSON.stringify({ firewall: fix.firewall, rule: fix.rule }))} > ${shellQuote(record)}`,
    ].join('\n'),
    revert: [`if [ -f ${shellQuote(undo)} ]; then sh ${shellQuote(undo)}; fi`, ...plan.unpersist(), `rm -f ${shellQuote(record)}`],
    plan,
  };
}

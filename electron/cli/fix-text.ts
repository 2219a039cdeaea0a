import type { FixChange, FixResult, FixRevertResult, ReportChanges } from '../contract/diagnosis.js';
import { changeLines } from '../services/diagnosis/fix/report-changes.js';

const changeText = (c: FixChange) => `${c.kind} ${c.action}: ${c.what}`;

function recheckText(changes: ReportChanges | undefined): string[] {
  if (!changes) return [];
  const lines = changeLines(changes);
  return lines.length ? ['re-check, what changed:', ...lines.map((l) => `  ${l}`)] : ['re-check: no matrix cell or pair changed'];
}

/** What `spanwise fix ID --apply` prints: the commands run, the host changes, what the re-check saw change, and how to undo a kept fix. */
export function fixText(r: FixResult): string {
  const kept = r.applied && !r.reverted;
  return [
    ...(r.commands?.length ? [`ran on ${r.node}:`, ...r.commands.map((c) => `  ${c}`)] : []),
    ...(r.changes ?? []).map(changeText),
    ...(r.persistNote ? [r.persistNote] : []),
    ...(kept ? recheckText(r.recheck) : []),
    `applied: ${r.applied}  reverted: ${r.reverted}  cleared: ${r.cleared}`,
    ...(kept && r.fixId ? [`undo with: spanwise fix --revert ${r.fixId} --node ${r.node}`] : []),
  ].join('\n');
}

/** What `spanwise fix --revert` prints: its log, the host changes, and what the diagnosis after it saw change. */
export function revertText(r: FixRevertResult): string {
  return [...r.log, ...r.changes.map(changeText), ...recheckText(r.recheck), `reverted: ${r.reverted}`].join('\n');
}

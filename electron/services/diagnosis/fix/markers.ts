import type { FixChange, FixResult } from '../../../contract/diagnosis.js';

/** What a host script reported: its changes, notes on why a fix stays runtime only, and every other line. */
export interface Reported {
  changes: FixChange[];
  runtimeOnly: string[];
  lines: string[];
}

const CHANGE = /^@spanwise change (runtime|persisted) (added|removed) (.+)$/;
const RUNTIME_ONLY = /^@spanwise runtime-only (.+)$/;

/** Splits a script's stdout into the marker lines the fix scripts print and the rest. */
export function readMarkers(stdout: string): Reported {
  const reported: Reported = { changes: [], runtimeOnly: [], lines: [] };
  for (const line of stdout.split('\n').filter(Boolean)) {
    const change = CHANGE.exec(line);
    const note = RUNTIME_ONLY.exec(line);
    if (change) reported.changes.push({ kind: change[1] as FixChange['kind'], action: change[2] as FixChange['action'], what: change[3] as string });
    else if (note) reported.runtimeOnly.push(note[1] as string);
    else reported.lines.push(line);
  }
  return reported;
}

/** Whether an applied fix survives a reboot, and why, from what its scripts reported. */
export function persistenceOf(reported: Reported, selfPersisting: boolean): Pick<FixResult, 'persistence' | 'persistNote'> {
  if (selfPersisting) return { persistence: 'firewall', persistNote: 'the firewall keeps the change across reboots by itself' };
  const files = reported.changes.filter((c) => c.kind === 'persisted' && c.action === 'added').map((c) => c.what);
  if (reported.runtimeOnly.length > 0 || files.length === 0) {
    const why = reported.runtimeOnly.join('; ') || 'nothing was written where the boot loads it';
    return { persistence: 'runtime', persistNote: `runtime only: ${why}` };
  }
  return { persistence: 'persisted', persistNote: `persisted in ${files.join(', ')}` };
}

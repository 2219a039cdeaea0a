import type { FixResult, HostFix } from '../../../contract/diagnosis.js';
import { shellQuote } from '../../ssh/shell.js';
import { bootPaths } from './boot-paths.js';
import { fixScripts } from './fix-scripts.js';
import { gatewayFixId } from './gateway-plan.js';
import { persistenceOf, readMarkers } from './markers.js';
import { armScript, confirmScript, guardPaths, type HostShell } from './revert-guard.js';
import { hostPaths } from '../../../../agent/shared/host-paths.js';

/** What the runner needs from the outside: a root shell on the node, and the checks after applying. */
export interface FixTarget {
  /** Opens a fresh shell on the node (a new SSH session each time: the check that SSH still works). */
  openShell(): Promise<HostShell & { close(): void }>;
  /** Whether the node's mesh is still there: its agent answers and no peer that was up went down. */
  meshHealthy(): Promise<boolean>;
  /** Whether the finding is gone after the change. */
  recheck(): Promise<boolean>;
}

/** Options: the confirmation window, the host directory for the guard's files, whether to create a missing boot file. */
export interface FixOptions {
  confirmSeconds: number;
  stateDir?: string;
  /** Where no firewall boot file exists, create one so the fix survives a reboot. */
  persist?: boolean;
  /** Prefix of the host's boot and record paths (tests use a temporary root). */
  bootRoot?: string;
  log?: (line: string) => void;
}

/**
 * Applies a host fix with a dead man's switch: arm a revert on the host, apply
 * (the live change, then where the host's boot loads it), then confirm only
 * after a new SSH session works and the node's mesh is healthy. If either
 * fails (or the desktop is gone), the host reverts both by itself when the
 * window ends. Then re-checks the finding.
 */
export async function runFix(findingId: string, fix: HostFix, target: FixTarget, options: FixOptions): Promise<FixResult> {
  const log: string[] = [];
  const say = (line: string) => (log.push(line), options.log?.(line));
  const guard = { id: `${findingId}-${fix.node}`, stateDir: options.stateDir ?? hostPaths.runtimeDir };
  const result: FixResult = { findingId, applied: false, reverted: false, cleared: false, log, node: fix.node, changes: [] };
  if (fix.rule) result.fixId = fix.rule.id;
  else if (fix.forward) result.fixId = gatewayFixId(fix.forward);
  const scripts = fixScripts(fix, guardPaths(guard).undo, bootPaths(options.bootRoot), options.persist ?? false);
  if (!scripts) {
    say(`the fix names a table, chain, zone or id that is not a plain identifier: nothing was run on ${fix.node}`);
    return result;
  }
  const plan = { ...guard, seconds: options.confirmSeconds, revert: scripts.revert };
  const shell = await target.openShell();
  const deadline = Date.now() + options.confirmSeconds * 1000;
  try {
    const armed = await shell.exec(armScript(plan));
    if (armed.code !== 0) {
      say(`could not arm the automatic revert: ${armed.stderr.trim() || armed.stdout.trim()}`);
      return result;
    }
    say(
      `${armed.stdout.trim()}: ${fix.firewall} changes on ${fix.target?.label ?? fix.node} revert by themselves in ${options.confirmSeconds} s unless confirmed`,
    );
    const applied = await within(shell.exec(scripts.apply), deadline - Date.now());
    if (applied === null) {
      result.applied = true;
      result.reverted = true;
      say('SSH went silent while applying the change');
      await awaitRevert(target, plan, deadline, say);
      return result;
    }
    const reported = readMarkers(applied.stdout);
    for (const line of reported.lines) say(line);
    result.changes = reported.changes;
    if (applied.code !== 0) {
      say(`apply failed (exit ${applied.code}): ${applied.stderr.trim()}; reverting now`);
      const undone = await shell.exec(['set +e', ...scripts.revert].join('\n'));
      result.changes.push(...readMarkers(undone.stdout).changes);
      result.reverted = true;
      return result;
    }
    result.applied = true;
    if (scripts.plan) Object.assign(result, persistenceOf(reported, scripts.plan.selfPersisting));
    if (result.persistNote) say(result.persistNote);
  } finally {
    shell.close();
  }
  const confirmed = await confirm(target, plan, say);
  if (!confirmed) {
    result.reverted = true;
    say(`not confirmed: the host reverts the change when the ${options.confirmSeconds} s window ends`);
    await awaitRevert(target, plan, deadline, say);
    return result;
  }
  result.cleared = await target.recheck().catch(() => false);
  say(result.cleared ? 're-check: the finding is gone' : 're-check: the finding is still there (the block may also be upstream)');
  if (!result.cleared && fix.target) await revertNow(target, scripts.revert, result, say, fix.target.label);
  return result;
}

/** Runs the revert now over a new session (a gateway fix is kept only when the re-check clears the finding). */
async function revertNow(target: FixTarget, revert: string[], result: FixResult, say: (line: string) => void, where: string): Promise<void> {
  const shell = await target.openShell();
  try {
    const out = await shell.exec(['set +e', ...revert].join('\n'));
    result.changes?.push(...readMarkers(out.stdout).changes);
    result.reverted = true;
    say(`reverted on the ${where}: the change did not clear the finding`);
  } finally {
    shell.close();
  }
}

/** Resolves with the promise's value, or null when `ms` pass first. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), Math.max(0, ms))));
  try {
    return await Promise.race([promise.catch(() => null), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * After the window ends, reconnects and reports whether the host ran the
 * revert by itself (its marker file). Best effort: a host that stays
 * unreachable is reported as such.
 */
async function awaitRevert(target: FixTarget, plan: { id: string; stateDir: string }, deadline: number, say: (line: string) => void): Promise<void> {
  const marker = guardPaths(plan).reverted;
  await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now()) + 1000));
  for (let attempt = 0; attempt < 3; attempt += 1) {
    let shell: (HostShell & { close(): void }) | null = null;
    try {
      shell = await target.openShell();
      const out = await shell.exec(`test -e ${shellQuote(marker)} && echo reverted || echo pending`);
      if (out.stdout.includes('reverted')) {
        say('the host reverted the change by itself (live and persisted); SSH works again');
        return;
      }
    } catch {
      // not reachable yet
    } finally {
      shell?.close();
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
  say('could not confirm the revert over SSH yet: check the host');
}

async function confirm(target: FixTarget, plan: { id: string; stateDir: string }, say: (line: string) => void): Promise<boolean> {
  let shell: (HostShell & { close(): void }) | null = null;
  try {
    shell = await target.openShell();
    say('a new SSH session works');
    if (!(await target.meshHealthy())) {
      say("the node's mesh did not stay healthy");
      return false;
    }
    const out = await shell.exec(confirmScript(plan));
    const kept = out.stdout.includes('kept');
    say(kept ? 'confirmed: the change is kept' : 'the window ended before confirmation: the host already reverted');
    return kept;
  } catch (error) {
    say(`confirmation failed: ${(error as Error).message}`);
    return false;
  } finally {
    shell?.close();
  }
}

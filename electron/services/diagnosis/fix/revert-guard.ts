import { shellQuote } from '../../ssh/shell.js';

/** A shell on the host that runs scripts as root (or as the test user, for harmless fakes). */
export interface HostShell {
  exec(script: string): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Where the guard keeps its files on the host, and the id that names them. */
export interface GuardPlan {
  id: string;
  stateDir: string;
  seconds: number;
  revert: string[];
}

const safeId = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80);

/** Paths of one guard's files. */
export function guardPaths(plan: Pick<GuardPlan, 'id' | 'stateDir'>) {
  const base = `${plan.stateDir}/fix-${safeId(plan.id)}`;
  return {
    job: `${base}.revert.sh`,
    undo: `${base}.undo.sh`,
    confirmed: `${base}.confirmed`,
    reverted: `${base}.reverted`,
    unit: `spanwise-revert-${safeId(plan.id)}`,
  };
}

/**
 * The script that arms the revert on the host before anything changes: it
 * writes a job that, after `seconds`, runs the revert commands unless the
 * desktop has confirmed (a marker file). It runs under a systemd timer where
 * systemd runs, else as a detached `sleep` in the background, so it survives
 * the SSH session. Prints "armed systemd" or "armed background".
 */
export function armScript(plan: GuardPlan): string {
  const p = guardPaths(plan);
  const job = ['#!/bin/sh', `[ -e ${shellQuote(p.confirmed)} ] && exit 0`, ...plan.revert, `touch ${shellQuote(p.reverted)}`, ''].join('\n');
  const seconds = Math.max(1, Math.round(plan.seconds));
  return [
    'set -e',
    `mkdir -p ${shellQuote(plan.stateDir)}`,
    `rm -f ${shellQuote(p.confirmed)} ${shellQuote(p.reverted)}`,
    `printf '%s' ${shellQuote(job)} > ${shellQuote(p.job)}`,
    `chmod 700 ${shellQuote(p.job)}`,
    `if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then`,
    `  systemd-run --quiet --collect --unit=${p.unit} --on-active=${seconds}s /bin/sh ${shellQuote(p.job)} && echo 'armed systemd' && exit 0`,
    'fi',
    `nohup sh -c ${shellQuote(`sleep ${seconds}; sh ${shellQuote(p.job)}`)} >/dev/null 2>&1 </dev/null &`,
    "echo 'armed background'",
  ].join('\n');
}

/** The script that confirms: the armed job then does nothing. Prints "kept" or "already reverted". */
export function confirmScript(plan: Pick<GuardPlan, 'id' | 'stateDir'>): string {
  const p = guardPaths(plan);
  return [
    `if [ -e ${shellQuote(p.reverted)} ]; then echo 'already reverted'; exit 0; fi`,
    `touch ${shellQuote(p.confirmed)}`,
    `command -v systemctl >/dev/null 2>&1 && systemctl stop ${p.unit}.timer >/dev/null 2>&1 || true`,
    "echo 'kept'",
  ].join('\n');
}

/** Runs commands in order, stopping at the first failure; returns the transcript. */
export function runAllScript(commands: string[]): string {
  return ['set -e', ...commands.map((c) => `echo ${shellQuote(`+ ${c}`)}\n${c}`)].join('\n');
}

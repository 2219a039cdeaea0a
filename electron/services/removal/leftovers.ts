import type { HostLeftover } from '../../contract/onboarding.js';
import { hostPaths } from '../../../agent/shared/host-paths.js';
import { cronHook } from '../onboarding/supervisor.js';
import { mustRunAsRoot } from '../ssh/privileged.js';
import type { SshSession } from '../ssh/session.js';
import { shellQuote } from '../ssh/shell.js';

/** What the check looks for: the agent's program name, its files and its WireGuard link. */
export interface LeftoverTargets {
  /** A process is the agent's when one of its arguments ends with one of these. */
  programs: string[];
  paths: string[];
  link: string;
}

/** Where onboarding puts the agent on a host. */
export const agentTargets: LeftoverTargets = {
  programs: ['/spanwise-agent.mjs', '/spanwise-agent'],
  paths: [
    hostPaths.installDir,
    hostPaths.configDir,
    hostPaths.stateDir,
    hostPaths.runtimeDir,
    hostPaths.discoveryStateDir,
    hostPaths.discoveryPrivateStateDir,
    hostPaths.logDir,
    hostPaths.agentUnit,
    hostPaths.discoveryUnit,
    hostPaths.openrcScript,
    cronHook('agent'),
    cronHook('discovery'),
    '/usr/bin/spanwise-agent',
  ],
  link: 'kubespan',
};

/**
 * Shell that prints the PIDs of the agent's processes, one a line: `grep -z` reads each command line
 * as its NUL-ended arguments and lists those with an argument ending in a program name (GNU and
 * busybox grep alike). A shell whose script names the agent is none: its script ends otherwise.
 */
function agentPids(programs: string[]): string {
  const pattern = `(${programs.map((p) => p.replace(/[^A-Za-z0-9/_-]/g, (c) => `\\${c}`)).join('|')})$`;
  return `for f in $(grep -lzE ${shellQuote(pattern)} /proc/[0-9]*/cmdline 2>/dev/null); do f=\${f#/proc/}; echo "\${f%/cmdline}"; done`;
}

/** Shell that lists the agent's processes as `PID command line`, one a line. */
function processList(programs: string[]): string {
  return `for pid in $(${agentPids(programs)}); do echo "$pid $(tr '\\0' ' ' < /proc/$pid/cmdline 2>/dev/null)"; done`;
}

/** Shell, run as root, that prints `left KIND WHAT` for everything of the agent still on the host. */
export function leftoverCheckScript(targets: LeftoverTargets = agentTargets): string {
  return `${processList(targets.programs)} | while read -r line; do echo "left process $line"; done
for p in ${targets.paths.map(shellQuote).join(' ')}; do if [ -e "$p" ] || [ -L "$p" ]; then echo "left file $p"; fi; done
if command -v ip >/dev/null 2>&1 && ip link show ${shellQuote(targets.link)} >/dev/null 2>&1; then echo "left link ${targets.link}"; fi
true`;
}

/** Shell, run as root, that stops the agent's processes a stopped service left running: TERM, then KILL after `graceSeconds`. */
export function killLeftoversScript(graceSeconds: number, targets: LeftoverTargets = agentTargets): string {
  const list = agentPids(targets.programs);
  return `pids=$(${list}); if [ -n "$pids" ]; then kill $pids 2>/dev/null
  for i in $(seq ${graceSeconds * 10}); do pids=$(${list}); [ -z "$pids" ] && break; sleep 0.1; done
  pids=$(${list}); [ -n "$pids" ] && kill -9 $pids 2>/dev/null; fi; true`;
}

/** The leftovers in the output of `leftoverCheckScript`. */
export function parseLeftovers(output: string): HostLeftover[] {
  return output
    .split('\n')
    .map((line) => /^left (process|file|link) (.+)$/.exec(line.trim()))
    .filter((match) => match !== null)
    .map((match) => ({ kind: match[1] as HostLeftover['kind'], what: (match[2] as string).trim() }));
}

/** The leftovers as one line for a message: `process 812 node /opt/spanwise/spanwise-agent.mjs run; file /etc/spanwise`. */
export function describeLeftovers(left: HostLeftover[]): string {
  return left.map((l) => `${l.kind} ${l.what}`).join('; ');
}

/** Stops what the agent left running on the host, then lists what of it is still there (empty: nothing). */
export async function verifyRemoved(
  session: SshSession,
  sudoPassword: string | null,
  graceSeconds: number,
  targets: LeftoverTargets = agentTargets,
): Promise<HostLeftover[]> {
  await mustRunAsRoot(session, 'stopping what the agent left running', killLeftoversScript(graceSeconds, targets), sudoPassword);
  return parseLeftovers(await mustRunAsRoot(session, 'checking what the removal left', leftoverCheckScript(targets), sudoPassword));
}

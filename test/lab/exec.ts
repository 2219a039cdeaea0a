import { type ChildProcess, spawn } from 'node:child_process';
import { type RunOptions, type RunResult, run } from './run.js';
import { findHost, labStatus } from './status.js';

/** Environment of commands run in a host: a clean root login, nothing from the caller. */
const HOST_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', USER: 'root', LOGNAME: 'root', LANG: 'C.UTF-8' };

/** A command to run in a host: an argv, or a string for `sh -c`. */
export type HostCommand = string[] | string;

async function nsenterArgv(host: string, command: HostCommand): Promise<string[]> {
  const h = findHost(await labStatus(), host);
  if (!h.running) throw new Error(`lab host ${host} is not running; run \`npm run lab -- up\``);
  const argv = typeof command === 'string' ? ['/bin/sh', '-c', command] : command;
  // Network, mount (the private dirs), UTS (hostname) and PID namespaces of the host; its root and cwd.
  return ['nsenter', '-t', String(h.pid), '-n', '-m', '-u', '-p', '-r', '-w', '--', ...argv];
}

/**
 * Runs a command as root inside a lab host (same namespaces and private dirs
 * as its sshd, so as an SSH session) and collects the output. Throws on a
 * non-zero exit unless `allowFailure`.
 */
export async function labExec(host: string, command: HostCommand, options: RunOptions = {}): Promise<RunResult> {
  return run(await nsenterArgv(host, command), { ...options, env: { ...HOST_ENV, ...options.env } });
}

/** Starts a command inside a lab host without waiting (for listeners, daemons, interactive use). */
export async function labSpawn(
  host: string,
  command: HostCommand,
  options: { stdio?: 'inherit' | 'pipe'; env?: NodeJS.ProcessEnv } = {},
): Promise<ChildProcess> {
  const [cmd, ...args] = await nsenterArgv(host, command);
  return spawn(cmd as string, args, { stdio: options.stdio ?? 'pipe', env: { ...HOST_ENV, ...options.env }, cwd: '/' });
}

import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunResult, run } from './run.js';
import type { LabStatus } from './status.js';

let askpass: string | null = null;

/** An SSH_ASKPASS helper that answers with $SW_LAB_PASSWORD (so the password is never an argv). */
async function askpassScript(): Promise<string> {
  if (askpass) return askpass;
  const dir = await mkdtemp(join(tmpdir(), 'swlab-askpass-'));
  const file = join(dir, 'askpass');
  await writeFile(file, '#!/bin/sh\nprintf \'%s\\n\' "$SW_LAB_PASSWORD"\n');
  await chmod(file, 0o700);
  askpass = file;
  return file;
}

/** How to log in: root by key (default), or a user by password. */
export interface SshLogin {
  user?: string;
  password?: string;
  input?: string;
}

/**
 * Runs a command on a lab host with the plain OpenSSH client and the lab's
 * ssh_config (jump hosts included), as root by key or as a user by password.
 */
export async function sshRun(status: LabStatus, host: string, command: string, login: SshLogin = {}): Promise<RunResult> {
  const argv = ['ssh', '-F', status.sshConfigFile, '-o', 'BatchMode=no', '-o', 'ConnectTimeout=10'];
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root' };
  if (login.password !== undefined) {
    argv.push('-o', 'PubkeyAuthentication=no', '-o', 'PreferredAuthentications=password', '-o', 'NumberOfPasswordPrompts=1');
    Object.assign(env, { SSH_ASKPASS: await askpassScript(), SSH_ASKPASS_REQUIRE: 'force', SW_LAB_PASSWORD: login.password });
  } else {
    argv.push('-o', 'BatchMode=yes');
  }
  if (login.user) argv.push('-l', login.user);
  argv.push(host, command);
  return run(argv, { allowFailure: true, env, timeoutMs: 30_000, ...(login.input === undefined ? {} : { input: login.input }) });
}

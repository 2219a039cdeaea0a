import { SpanwiseError } from '../../../agent/lib/errors.js';
import type { ExecResult, SshSession } from './session.js';
import { shellQuote } from './shell.js';

/**
 * Runs a shell command as root: directly when logged in as root, else through
 * `sudo -S -k` with the sudo password on the first line of stdin (never on the
 * command line). `input` follows on stdin.
 */
export async function runAsRoot(session: SshSession, script: string, sudoPassword: string | null, input = ''): Promise<ExecResult> {
  if (session.target.user === 'root') return session.exec(`sh -c ${shellQuote(script)}`, input);
  const result = await session.exec(`sudo -S -k -p '' -- sh -c ${shellQuote(script)}`, `${sudoPassword ?? ''}\n${input}`);
  if (result.code !== 0 && /a password is required|incorrect password|Sorry, try again|no password was provided/i.test(result.stderr)) {
    throw new SpanwiseError(
      sudoPassword ? 'SUDO_PASSWORD_WRONG' : 'SUDO_PASSWORD_REQUIRED',
      sudoPassword ? `sudo refused the password for ${session.target.user}` : `sudo asks ${session.target.user} for a password`,
      sudoPassword ? 'give the right sudo password (--sudo-password-env VAR)' : 'give it with --password-env or --sudo-password-env, or allow passwordless sudo',
    );
  }
  if (result.code !== 0 && /is not in the sudoers file|may not run sudo/i.test(result.stderr)) {
    throw new SpanwiseError('SUDO_NOT_ALLOWED', `${session.target.user} may not use sudo`, 'add the user to the sudo group, or log in as root');
  }
  return result;
}

/** Like runAsRoot, but a non-zero exit is an error naming the step. */
export async function mustRunAsRoot(session: SshSession, step: string, script: string, sudoPassword: string | null, input = ''): Promise<string> {
  const result = await runAsRoot(session, script, sudoPassword, input);
  if (result.code !== 0) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ');
    throw new SpanwiseError('REMOTE_COMMAND_FAILED', `${step} failed on ${session.target.host} (exit ${result.code}): ${detail}`, 'fix the cause shown, then re-run; finished steps are not repeated');
  }
  return result.stdout;
}

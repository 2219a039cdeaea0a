import { randomBytes } from 'node:crypto';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import type { ExecResult, SshSession } from './session.js';
import { shellQuote } from './shell.js';

const wrongPassword = (user: string) =>
  new SpanwiseError('SUDO_PASSWORD_WRONG', `sudo refused the password for ${user}`, 'give the right sudo password (--sudo-password-env VAR)');
const passwordRequired = (user: string) =>
  new SpanwiseError(
    'SUDO_PASSWORD_REQUIRED',
    `sudo asks ${user} for a password`,
    'give it with --password-env or --sudo-password-env, or allow passwordless sudo',
  );

/**
 * Runs a shell command as root: directly when logged in as root, else through
 * `sudo -S -k` with a prompt unique to this call. The sudo password is written
 * only in answer to that prompt, and `input` only once the command runs as root
 * (it announces itself with a unique marker on stderr), so a sudo that does not
 * ask (NOPASSWD) never sees the password, and the command's input never holds it.
 */
export async function runAsRoot(session: SshSession, script: string, sudoPassword: string | null, input = ''): Promise<ExecResult> {
  const user = session.target.user;
  if (user === 'root') return session.exec(`sh -c ${shellQuote(script)}`, input);
  const nonce = randomBytes(12).toString('hex');
  const prompt = `[spanwise-sudo-${nonce}]`;
  const ready = `[spanwise-root-${nonce}]`;
  const remote = await session.start(`sudo -S -k -p ${shellQuote(prompt)} -- sh -c ${shellQuote(`printf '%s\\n' ${shellQuote(ready)} >&2; ${script}`)}`);
  let seen = '';
  let prompts = 0;
  let refusal: SpanwiseError | null = null;
  let started = false;
  remote.onStderr((chunk) => {
    if (started) return;
    seen += chunk;
    if (seen.includes(ready)) {
      started = true;
      remote.end(input);
      return;
    }
    const asked = seen.split(prompt).length - 1;
    if (asked === prompts) return;
    prompts = asked;
    if (sudoPassword === null || prompts > 1) {
      refusal = sudoPassword === null ? passwordRequired(user) : wrongPassword(user);
      remote.close();
    } else {
      remote.write(`${sudoPassword}\n`);
    }
  });
  const result = await remote.result;
  if (refusal) throw refusal;
  const stderr = result.stderr.split(prompt).join('').replace(`${ready}\n`, '');
  if (!started && /a password is required|incorrect password|Sorry, try again|no password was provided/i.test(stderr)) {
    throw sudoPassword ? wrongPassword(user) : passwordRequired(user);
  }
  if (!started && /is not in the sudoers file|may not run sudo|not allowed to execute/i.test(stderr)) {
    throw new SpanwiseError('SUDO_NOT_ALLOWED', `${user} may not use sudo`, 'add the user to the sudo group, or log in as root');
  }
  return { ...result, stderr };
}

/** Like runAsRoot, but a non-zero exit is an error naming the step. */
export async function mustRunAsRoot(session: SshSession, step: string, script: string, sudoPassword: string | null, input = ''): Promise<string> {
  const result = await runAsRoot(session, script, sudoPassword, input);
  if (result.code !== 0) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ');
    throw new SpanwiseError(
      'REMOTE_COMMAND_FAILED',
      `${step} failed on ${session.target.host} (exit ${result.code}): ${detail}`,
      'fix the cause shown, then re-run; finished steps are not repeated',
    );
  }
  return result.stdout;
}

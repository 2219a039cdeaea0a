import { SpanwiseError } from '../../../agent/shared/errors.js';

/** Maps ssh2 and socket failures to errors that say what happened and what to do. */
export function sshError(error: unknown, where: string): SpanwiseError {
  if (error instanceof SpanwiseError) return error;
  const err = error as NodeJS.ErrnoException & { level?: string };
  const code = err.code ?? '';
  if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'].includes(code) || /timed out/i.test(err.message)) {
    return new SpanwiseError(
      'SSH_UNREACHABLE',
      `cannot reach SSH on ${where} (${code || 'timeout'})`,
      'check the host name and port, that sshd runs, and that a firewall allows TCP to it (or use a jump host)',
    );
  }
  if (err.level === 'client-authentication' || /authentication methods failed/i.test(err.message)) {
    return new SpanwiseError(
      'SSH_AUTH_FAILED',
      `SSH login to ${where} was refused`,
      'check the user, the key file or password, and that the key is in ~/.ssh/authorized_keys on the host',
    );
  }
  if (/passphrase/i.test(err.message) || /Cannot parse privateKey/i.test(err.message)) {
    return new SpanwiseError(
      'SSH_KEY_UNREADABLE',
      `the private key for ${where} cannot be read: ${err.message}`,
      'give the right passphrase, or a key in OpenSSH or PEM format',
    );
  }
  return new SpanwiseError('SSH_FAILED', `SSH to ${where} failed: ${err.message}`, 're-run; if it persists, check the host with ssh -v');
}

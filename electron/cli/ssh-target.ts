import { UsageError } from '../../agent/shared/errors.js';
import type { SshTarget } from '../contract/machines.js';

/** Splits `USER@HOST[:PORT]` (IPv6 hosts in brackets: `root@[fd00::1]:2222`); the contract checks the parts. */
export function parseSshTarget(text: string, flag: string): SshTarget {
  const match = /^([^@\s]+)@(\[[0-9a-fA-F:.]+\]|[^:@\s[\]]+)(?::(\d+))?$/.exec(text);
  if (!match) throw new UsageError(`--${flag} must look like USER@HOST or USER@HOST:PORT, got '${text}'`);
  return { user: match[1] as string, host: (match[2] as string).replace(/^\[|\]$/g, ''), port: match[3] === undefined ? 22 : Number(match[3]) };
}

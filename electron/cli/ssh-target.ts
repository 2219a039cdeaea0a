import { UsageError } from '../../agent/lib/errors.js';
import type { SshTarget } from '../contract/machines.js';

/** Parses `USER@HOST[:PORT]` (IPv6 hosts in brackets: `root@[fd00::1]:2222`). */
export function parseSshTarget(text: string, flag: string): SshTarget {
  const match = /^([^@\s]+)@(\[[0-9a-fA-F:.]+\]|[^:@\s[\]]+)(?::(\d+))?$/.exec(text);
  if (!match) throw new UsageError(`--${flag} must look like USER@HOST or USER@HOST:PORT, got '${text}'`);
  const port = match[3] === undefined ? 22 : Number(match[3]);
  if (port < 1 || port > 65535) throw new UsageError(`--${flag}: port ${match[3]} is out of range; use 1 to 65535`);
  return { user: match[1] as string, host: (match[2] as string).replace(/^\[|\]$/g, ''), port };
}

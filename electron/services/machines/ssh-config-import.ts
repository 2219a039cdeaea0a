import { readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import SSHConfig from 'ssh-config';
import { SpanwiseError } from '../../../agent/lib/errors.js';
import type { ImportedHost, SshTarget } from '../../contract/machines.js';

type Computed = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
const expandHome = (path: string) => (path.startsWith('~/') ? join(homedir(), path.slice(2)) : path);

function target(config: SSHConfig, alias: string, fallbackUser: string): SshTarget {
  const c = config.compute(alias) as Computed;
  return { user: first(c.User) ?? fallbackUser, host: first(c.HostName) ?? alias, port: Number(first(c.Port) ?? 22) };
}

function jumps(config: SSHConfig, value: string | undefined, fallbackUser: string, depth = 0): SshTarget[] {
  if (!value || value === 'none' || depth > 4) return [];
  return value.split(',').flatMap((hop) => {
    const match = /^(?:([^@]+)@)?([^:]+)(?::(\d+))?$/.exec(hop.trim());
    if (!match) return [];
    const alias = match[2] as string;
    const base = target(config, alias, fallbackUser);
    const outer = jumps(config, first((config.compute(alias) as Computed).ProxyJump), fallbackUser, depth + 1);
    return [...outer, { user: match[1] ?? base.user, host: base.host, port: match[3] ? Number(match[3]) : base.port }];
  });
}

/** Reads concrete `Host` entries (no wildcards) from an OpenSSH config, resolving HostName, User, Port, IdentityFile and ProxyJump. */
export function importSshConfig(path = join(homedir(), '.ssh', 'config')): ImportedHost[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new SpanwiseError('SSH_CONFIG_UNREADABLE', `cannot read ${path}`, 'give the path of an OpenSSH client config');
  }
  const config = SSHConfig.parse(text);
  const user = userInfo().username;
  const aliases = config.flatMap((line) => ('param' in line && line.param.toLowerCase() === 'host' ? [line.value].flat().map(String) : [])).filter((alias) => !/[*?!]/.test(alias));
  return [...new Set(aliases)].map((alias) => {
    const computed = config.compute(alias) as Computed;
    const identity = first(computed.IdentityFile);
    return {
      name: alias.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'host',
      ssh: target(config, alias, user),
      identityFile: identity ? expandHome(identity) : null,
      jump: jumps(config, first(computed.ProxyJump), user),
    };
  });
}

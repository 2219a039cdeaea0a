import { globSync, readFileSync, realpathSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';
import SSHConfig from 'ssh-config';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import type { ImportedHost, SshTarget } from '../../contract/machines.js';

type Computed = Record<string, string | string[] | undefined>;
type Line = SSHConfig[number];

/** How deep `Include` may nest, as OpenSSH allows. */
const MAX_INCLUDE_DEPTH = 16;

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

const isInclude = (line: Line) => 'param' in line && line.param.toLowerCase() === 'include';

/** The files an `Include` names: `~/` from home, relative paths from the ssh dir, globs expanded in order. */
function includedFiles(line: Line, sshDir: string): string[] {
  if (!('value' in line)) return [];
  const patterns = Array.isArray(line.value) ? line.value.map((v) => v.val) : String(line.value).split(/\s+/);
  return patterns.filter(Boolean).flatMap((pattern) => {
    const path = pattern.startsWith('~/') ? join(homedir(), pattern.slice(2)) : isAbsolute(pattern) ? pattern : join(sshDir, pattern);
    return /[*?[]/.test(path) ? globSync(path).sort() : [path];
  });
}

/**
 * The lines of one config file with its `Include`s read in place, as OpenSSH reads them: an Include
 * at the top level adds the file's lines there; inside a Host or Match block, the file's own
 * settings belong to that block and its blocks follow it. Missing files are skipped; a file that
 * includes itself, or nesting deeper than OpenSSH allows, is refused.
 */
function readLines(path: string, sshDir: string, chain: string[]): Line[] {
  let real: string;
  let text: string;
  try {
    real = realpathSync(path);
    text = readFileSync(real, 'utf8');
  } catch {
    if (chain.length === 0) throw new SpanwiseError('SSH_CONFIG_UNREADABLE', `cannot read ${path}`, 'give the path of an OpenSSH client config');
    return [];
  }
  if (chain.includes(real))
    throw new SpanwiseError(
      'SSH_CONFIG_INCLUDE_CYCLE',
      `Include loops: ${[...chain, real].join(' includes ')}`,
      'remove the Include that leads back to a file that includes it',
    );
  if (chain.length > MAX_INCLUDE_DEPTH)
    throw new SpanwiseError('SSH_CONFIG_INCLUDE_DEPTH', `Include nests deeper than ${MAX_INCLUDE_DEPTH} files at ${real}`, 'flatten the Include chain');
  const include = (line: Line) => includedFiles(line, sshDir).flatMap((file) => readLines(file, sshDir, [...chain, real]));
  const lines: Line[] = [];
  for (const line of SSHConfig.parse(text)) {
    if (isInclude(line)) {
      lines.push(...include(line));
    } else if ('config' in line) {
      const blocks: Line[] = [];
      const own = line.config.flatMap((inner) => {
        if (!isInclude(inner)) return [inner];
        const added = include(inner);
        blocks.push(...added.filter((l) => 'config' in l));
        return added.filter((l) => !('config' in l));
      });
      line.config.splice(0, line.config.length, ...own);
      lines.push(line, ...blocks);
    } else {
      lines.push(line);
    }
  }
  return lines;
}

/** Where an OpenSSH user config keeps its files; relative `Include` paths are read from here. */
export interface SshConfigImportOptions {
  sshDir?: string;
}

/**
 * Reads concrete `Host` entries (no wildcards) from an OpenSSH config and the files it includes,
 * resolving HostName, User, Port, IdentityFile and ProxyJump.
 */
export function importSshConfig(path?: string, options: SshConfigImportOptions = {}): ImportedHost[] {
  const sshDir = options.sshDir ?? join(homedir(), '.ssh');
  const config = SSHConfig.parse('');
  config.push(...readLines(path ?? join(sshDir, 'config'), sshDir, []));
  const user = userInfo().username;
  const aliases = config
    .flatMap((line) => ('param' in line && line.param.toLowerCase() === 'host' ? [line.value].flat().map((v) => (typeof v === 'string' ? v : v.val)) : []))
    .filter((alias) => !/[*?!]/.test(alias));
  return [...new Set(aliases)].map((alias) => {
    const computed = config.compute(alias) as Computed;
    const identity = first(computed.IdentityFile);
    return {
      name:
        alias
          .toLowerCase()
          .replace(/[^a-z0-9-]+/g, '-')
          .replace(/^-+|-+$/g, '')
          .slice(0, 63) || 'host',
      ssh: target(config, alias, user),
      identityFile: identity ? expandHome(identity) : null,
      jump: jumps(config, first(computed.ProxyJump), user),
    };
  });
}

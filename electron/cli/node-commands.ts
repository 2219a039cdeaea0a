import type { Command } from '../../agent/lib/cli.js';
import { SpanwiseError, UsageError } from '../../agent/lib/errors.js';
import { machineRoles, siteKinds, type MachineSummary } from '../contract/machines.js';
import { dataDirOption } from './options.js';
import { print, withServices } from './services.js';
import { parseSshTarget } from './ssh-target.js';

function secretFromEnv(values: Record<string, unknown>, flag: string): string | undefined {
  const variable = values[flag];
  if (variable === undefined) return undefined;
  const value = process.env[String(variable)];
  if (!value) throw new UsageError(`--${flag} names ${String(variable)}, which is not set or empty`, `export ${String(variable)}=... before running (passwords are never taken as arguments)`);
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, got '${String(value)}'`);
  return value as T;
}

function labels(values: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (values as string[] | undefined) ?? []) {
    const [key, ...rest] = item.split('=');
    if (!key || rest.length === 0) throw new UsageError(`--label must look like KEY=VALUE, got '${item}'`);
    out[key] = rest.join('=');
  }
  return out;
}

const line = (m: MachineSummary) => `${m.name.padEnd(16)} ${m.site.padEnd(10)} ${m.role.padEnd(12)} ${m.ssh.user}@${m.ssh.host}:${m.ssh.port}${m.jump.length ? ` via ${m.jump.map((j) => `${j.user}@${j.host}:${j.port}`).join(' -> ')}` : ''}  ${m.state}`;

/** `spanwise node add|list` (inventory); onboarding and removal are in their own files. */
export const nodeInventoryCommands: Command[] = [
  {
    path: ['node', 'add'],
    summary: 'add a machine to the current cluster (nothing is changed on it yet)',
    usage: 'NAME --ssh USER@HOST[:PORT] [--identity FILE] [--passphrase-env VAR] [--password-env VAR] [--sudo-password-env VAR] [--ssh-agent] [--jump USER@HOST[:PORT]]... [--site edge|datacenter|cloud] [--role controlplane|worker] [--label KEY=VALUE]... [--json]',
    options: {
      ...dataDirOption,
      ssh: { type: 'string' },
      identity: { type: 'string' },
      'passphrase-env': { type: 'string' },
      'password-env': { type: 'string' },
      'sudo-password-env': { type: 'string' },
      'ssh-agent': { type: 'boolean' },
      jump: { type: 'string', multiple: true },
      site: { type: 'string' },
      role: { type: 'string' },
      label: { type: 'string', multiple: true },
      json: { type: 'boolean' },
    },
    positionals: true,
    async run(values, positionals) {
      if (positionals.length !== 1) throw new UsageError('give exactly one machine NAME');
      if (typeof values.ssh !== 'string') throw new UsageError('--ssh USER@HOST[:PORT] is required');
      const auth = {
        ...(values.identity ? { identityFile: String(values.identity) } : {}),
        ...(values['passphrase-env'] ? { passphrase: secretFromEnv(values, 'passphrase-env') } : {}),
        ...(values['password-env'] ? { password: secretFromEnv(values, 'password-env') } : {}),
        ...(values['sudo-password-env'] ? { sudoPassword: secretFromEnv(values, 'sudo-password-env') } : {}),
        useAgent: values['ssh-agent'] === true,
      };
      const input = {
        name: positionals[0] as string,
        ssh: parseSshTarget(values.ssh, 'ssh'),
        auth,
        jump: ((values.jump as string[] | undefined) ?? []).map((j) => parseSshTarget(j, 'jump')),
        site: oneOf(values.site, siteKinds, 'site', 'cloud'),
        role: oneOf(values.role, machineRoles, 'role', 'worker'),
        labels: labels(values.label),
      };
      const machine = await withServices(values, (s) => {
        try {
          return s.machines.add(input);
        } catch (error) {
          if (error instanceof SpanwiseError && error.code === 'INVALID_MACHINE') throw new UsageError(error.message, error.hint);
          throw error;
        }
      });
      print(values, machine, () => `added ${line(machine)}`);
    },
  },
  {
    path: ['node', 'remove'],
    summary: 'remove a node: leave discovery, stop the agent, clean link, routes and rules, delete its files',
    usage: 'NAME [--force]',
    options: { ...dataDirOption, force: { type: 'boolean' } },
    positionals: true,
    async run(values, positionals) {
      if (positionals.length !== 1) throw new UsageError('give exactly one machine NAME');
      const result = await withServices(values, (s) => s.removal.remove(positionals[0] as string, values.force === true));
      process.stdout.write(result.cleaned ? `removed ${positionals[0]} and cleaned the host\n` : `removed ${positionals[0]} from the inventory; ${result.warning}\n`);
    },
  },
  {
    path: ['node', 'logs'],
    summary: "print the last lines of a node's agent log (read over SSH)",
    usage: 'NAME [--lines N]',
    options: { ...dataDirOption, lines: { type: 'string' } },
    positionals: true,
    async run(values, positionals) {
      if (positionals.length !== 1) throw new UsageError('give exactly one machine NAME');
      const lines = values.lines === undefined ? 200 : Number(values.lines);
      if (!Number.isInteger(lines) || lines < 1 || lines > 2000) throw new UsageError(`--lines must be a whole number from 1 to 2000, got '${String(values.lines)}'`);
      const log = await withServices(values, (s) => s.agentLogs.tail(positionals[0] as string, lines));
      process.stdout.write(log.length ? `${log.join('\n')}\n` : 'the agent log is empty\n');
    },
  },
  {
    path: ['node', 'list'],
    summary: 'list the machines of the current cluster',
    usage: '[--json]',
    options: { ...dataDirOption, json: { type: 'boolean' } },
    async run(values) {
      const machines = await withServices(values, (s) => s.machines.list());
      print(values, machines, () => (machines.length ? machines.map(line).join('\n') : "no machines yet: add one with 'spanwise node add NAME --ssh USER@HOST'"));
    },
  },
];

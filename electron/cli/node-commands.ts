import type { Command } from '../../agent/shared/cli.js';
import { UsageError } from '../../agent/shared/errors.js';
import { outputFormat, tableText } from '../../agent/shared/output-format.js';
import { machineRoles, siteKinds, type MachineSummary } from '../contract/machines.js';
import { withClient } from './client.js';
import { dataHelp, dataOptions, numberFlag, onePositional } from './options.js';
import { print } from './output.js';
import { parseSshTarget } from './ssh-target.js';

/** The secret held by the environment variable a `--*-env` flag names (secrets are never taken as arguments). */
export function secretFromEnv(values: Record<string, unknown>, flag: string): string | undefined {
  const variable = values[flag];
  if (variable === undefined) return undefined;
  const value = process.env[String(variable)];
  if (!value)
    throw new UsageError(
      `--${flag} names ${String(variable)}, which is not set or empty`,
      `export ${String(variable)}=... before running (passwords are never taken as arguments)`,
    );
  return value;
}

/** `--label KEY=VALUE` flags as a record. */
export function labels(values: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (values as string[] | undefined) ?? []) {
    const [key, ...rest] = item.split('=');
    if (!key || rest.length === 0) throw new UsageError(`--label must look like KEY=VALUE, got '${item}'`);
    out[key] = rest.join('=');
  }
  return out;
}

/** The jump hosts' own sign-in the flags give, if any. */
function jumpAuthOf(values: Record<string, unknown>): { jumpAuth?: { identityFile?: string; password?: string } } {
  if (values['jump-identity'] !== undefined && values['jump-password-env'] !== undefined)
    throw new UsageError('give either --jump-identity or --jump-password-env');
  if (typeof values['jump-identity'] === 'string') return { jumpAuth: { identityFile: values['jump-identity'] } };
  const password = values['jump-password-env'] === undefined ? undefined : secretFromEnv(values, 'jump-password-env');
  return password === undefined ? {} : { jumpAuth: { password } };
}

/** `user@host:port`, IPv6 hosts in brackets. */
export const target = (t: MachineSummary['ssh']) => `${t.user}@${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;

/** Machines as a table; `wide` adds jump hosts, key files and labels. */
export function machineTable(machines: MachineSummary[], wide: boolean): string {
  const header = ['name', 'site', 'role', 'ssh', 'state', ...(wide ? ['jump', 'identity', 'labels'] : [])];
  const rows = machines.map((m) => [
    m.name,
    m.site,
    m.role,
    target(m.ssh),
    m.state,
    ...(wide
      ? [
          m.jump.map(target).join(' -> ') || '-',
          m.identityFile ?? '-',
          Object.entries(m.labels)
            .map(([k, v]) => `${k}=${v}`)
            .join(',') || '-',
        ]
      : []),
  ]);
  return tableText(header, rows);
}

const addFlags = {
  name: 'NAME',
  ssh: '--ssh',
  jump: '--jump',
  site: '--site',
  role: '--role',
  labels: '--label',
  'auth.identityFile': '--identity',
  'auth.passphrase': '--passphrase-env',
  'auth.password': '--password-env',
  'auth.sudoPassword': '--sudo-password-env',
  'jumpAuth.identityFile': '--jump-identity',
  'jumpAuth.password': '--jump-password-env',
  jumpAuth: '--jump-identity',
};

/** The flags that describe a machine, shared by `node add`, `node edit` and `node test`. */
export const machineOptions = {
  ssh: { type: 'string' },
  identity: { type: 'string' },
  'passphrase-env': { type: 'string' },
  'password-env': { type: 'string' },
  'sudo-password-env': { type: 'string' },
  'ssh-agent': { type: 'boolean' },
  jump: { type: 'string', multiple: true },
  'jump-identity': { type: 'string' },
  'jump-password-env': { type: 'string' },
  site: { type: 'string' },
  role: { type: 'string' },
} as const;

/** `spanwise node add|remove|logs|list` (inventory); onboarding is in its own file. */
export const nodeInventoryCommands: Command[] = [
  {
    path: ['node', 'add'],
    summary: 'add a machine to the current cluster (nothing is changed on it yet)',
    usage:
      'NAME --ssh USER@HOST[:PORT] [--identity FILE] [--passphrase-env VAR] [--password-env VAR] [--sudo-password-env VAR] [--ssh-agent] [--jump USER@HOST[:PORT]]... [--jump-identity FILE | --jump-password-env VAR] [--site edge|datacenter|cloud] [--role controlplane|worker] [--label KEY=VALUE]... [-o FORMAT]',
    options: { ...dataOptions, ...machineOptions, label: { type: 'string', multiple: true } },
    optionHelp: {
      ...dataHelp,
      ssh: { description: 'where to reach the machine over SSH (required)', value: 'USER@HOST[:PORT]' },
      identity: { description: 'the private key file to log in with', value: 'FILE' },
      'passphrase-env': { description: "the environment variable holding the key's passphrase", value: 'VAR' },
      'password-env': { description: 'the environment variable holding the SSH password', value: 'VAR' },
      'sudo-password-env': { description: 'the environment variable holding the sudo password', default: 'the SSH password', value: 'VAR' },
      'ssh-agent': { description: 'log in with the keys of the running SSH agent' },
      jump: { description: 'a jump host, outermost first', value: 'USER@HOST[:PORT]' },
      'jump-identity': { description: "the jump hosts' own private key file", default: "the machine's sign-in", value: 'FILE' },
      'jump-password-env': { description: "the environment variable holding the jump hosts' own password", value: 'VAR' },
      site: { description: 'where the machine sits: edge, datacenter or cloud', default: 'cloud', value: 'KIND', choices: siteKinds },
      role: { description: "the machine's Kubernetes role", default: 'worker', value: 'ROLE', choices: machineRoles },
      label: { description: 'a label to keep with the machine', value: 'KEY=VALUE' },
    },
    examples: [
      'spanwise node add edge1 --ssh root@10.0.3.10 --identity ~/.ssh/id_ed25519 --jump root@203.0.113.7 --site edge',
      'SSHPASS=... spanwise node add dc1 --ssh admin@dc1.example --password-env SSHPASS --site datacenter --role controlplane',
    ],
    positionals: true,
    async run(values, positionals) {
      const format = outputFormat(values);
      const name = onePositional(positionals, 'machine NAME');
      if (typeof values.ssh !== 'string') throw new UsageError('--ssh USER@HOST[:PORT] is required');
      const auth = {
        ...(values.identity ? { identityFile: String(values.identity) } : {}),
        ...(values['passphrase-env'] ? { passphrase: secretFromEnv(values, 'passphrase-env') } : {}),
        ...(values['password-env'] ? { password: secretFromEnv(values, 'password-env') } : {}),
        ...(values['sudo-password-env'] ? { sudoPassword: secretFromEnv(values, 'sudo-password-env') } : {}),
        useAgent: values['ssh-agent'] === true,
      };
      const request = {
        name,
        ssh: parseSshTarget(values.ssh, 'ssh'),
        auth,
        jump: ((values.jump as string[] | undefined) ?? []).map((j) => parseSshTarget(j, 'jump')),
        ...jumpAuthOf(values),
        ...(values.site === undefined ? {} : { site: values.site as MachineSummary['site'] }),
        ...(values.role === undefined ? {} : { role: values.role as MachineSummary['role'] }),
        labels: labels(values.label),
      };
      const machine = await withClient(values, (c) => c.invoke('machine:add', request, addFlags));
      print(format, machine, () => `added machine ${machine.name}\n${machineTable([machine], false)}`);
    },
  },
  {
    path: ['node', 'remove'],
    summary: 'remove a node: leave discovery, stop the agent, clean link, routes and rules, delete its files',
    usage: 'NAME [--force] [-o FORMAT]',
    options: { ...dataOptions, force: { type: 'boolean' } },
    optionHelp: { ...dataHelp, force: { description: 'remove it from the inventory even when the host cannot be reached or cleaned' } },
    examples: ['spanwise node remove edge1', 'spanwise node remove edge1 --force'],
    positionals: true,
    async run(values, positionals) {
      const format = outputFormat(values);
      const name = onePositional(positionals, 'machine NAME');
      const result = await withClient(values, (c) => c.invoke('node:remove', { name, force: values.force === true }, { name: 'NAME' }));
      print(format, { machine: name, ...result }, () =>
        result.cleaned ? `removed ${name} and cleaned the host` : `removed ${name} from the inventory; ${result.warning}`,
      );
    },
  },
  {
    path: ['node', 'logs'],
    summary: "print the last lines of a node's agent log (read over SSH)",
    usage: 'NAME [--lines N] [-o FORMAT]',
    options: { ...dataOptions, lines: { type: 'string' } },
    optionHelp: { ...dataHelp, lines: { description: 'how many of the last lines to print (1 to 2000)', default: '200', value: 'N' } },
    examples: ['spanwise node logs edge1', 'spanwise node logs edge1 --lines 50'],
    positionals: true,
    async run(values, positionals) {
      const format = outputFormat(values);
      const name = onePositional(positionals, 'machine NAME');
      const lines = numberFlag(values.lines);
      const log = await withClient(values, (c) =>
        c.invoke('node:logs', { name, ...(lines === undefined ? {} : { lines }) }, { name: 'NAME', lines: '--lines' }),
      );
      print(format, log, () => (log.lines.length ? log.lines.join('\n') : 'the agent log is empty'));
    },
  },
  {
    path: ['node', 'list'],
    summary: 'list the machines of the current cluster',
    usage: '[-o table|wide|json|yaml]',
    options: { ...dataOptions },
    optionHelp: { ...dataHelp },
    examples: ['spanwise node list', 'spanwise node list -o wide'],
    async run(values) {
      const format = outputFormat(values);
      const machines = await withClient(values, (c) => c.invoke('machine:list', {}));
      const empty = "no machines yet: add one with 'spanwise node add NAME --ssh USER@HOST'";
      print(format, machines, {
        table: () => (machines.length ? machineTable(machines, false) : empty),
        wide: () => (machines.length ? machineTable(machines, true) : empty),
      });
    },
  },
  {
    path: ['node', 'ssh-hosts'],
    summary: 'list the hosts an OpenSSH client config defines (following its Include files), to add with node add',
    usage: '[FILE] [-o table|json|yaml]',
    options: { ...dataOptions },
    optionHelp: { ...dataHelp },
    examples: ['spanwise node ssh-hosts', 'spanwise node ssh-hosts ~/.ssh/work.conf -o json'],
    positionals: true,
    async run(values, positionals) {
      const format = outputFormat(values);
      if (positionals.length > 1) throw new UsageError('give at most one config FILE');
      const hosts = await withClient(values, (c) =>
        c.invoke('machine:importSshConfig', positionals[0] === undefined ? {} : { path: positionals[0] }, { path: 'FILE' }),
      );
      print(format, hosts, () =>
        hosts.length
          ? tableText(
              ['name', 'ssh', 'jump', 'identity'],
              hosts.map((h) => [h.name, target(h.ssh), h.jump.map(target).join(' -> ') || '-', h.identityFile ?? '-']),
            )
          : 'no concrete Host entries found',
      );
    },
  },
];

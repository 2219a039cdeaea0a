import type { Command } from '../../agent/shared/cli.js';
import { UsageError } from '../../agent/shared/errors.js';
import { outputFormat } from '../../agent/shared/output-format.js';
import { machineRoles, siteKinds, type MachinePatch, type MachineSummary, type MachineTestResult } from '../contract/machines.js';
import { withClient } from './client.js';
import { machineOptions, machineTable, secretFromEnv } from './node-commands.js';
import { dataHelp, dataOptions, numberFlag, onePositional } from './options.js';
import { print } from './output.js';
import { parseSshTarget } from './ssh-target.js';

type Values = Record<string, unknown>;

/** Contract fields of `machine:update` and `machine:test` to the flags that set them. */
const patchFlags = {
  name: 'NAME',
  'set.ssh.host': '--host',
  'set.ssh.port': '--port',
  'set.ssh.user': '--user',
  'set.ssh': '--ssh',
  'set.jump': '--jump',
  'set.site': '--site',
  'set.role': '--role',
  'set.auth.identityFile': '--identity',
  'set.auth.passphrase': '--passphrase-env',
  'set.auth.password': '--password-env',
  'set.auth.sudoPassword': '--sudo-password-env',
  'set.auth': '--identity',
  'set.jumpAuth.identityFile': '--jump-identity',
  'set.jumpAuth.password': '--jump-password-env',
  'set.jumpAuth': '--jump-identity',
  auth: '--identity',
  'auth.identityFile': '--identity',
  'auth.password': '--password-env',
  jumpAuth: '--jump-identity',
  'jumpAuth.identityFile': '--jump-identity',
  'ssh.port': '--port',
  'ssh.host': '--host',
  'ssh.user': '--user',
  acceptHostKey: '--accept-host-key',
};

const given = <T>(value: T | undefined) => (value === undefined ? {} : value);

/** The changes the flags ask for; flags not given keep what is stored. */
function patchOf(values: Values): MachinePatch {
  const whole = typeof values.ssh === 'string' ? parseSshTarget(values.ssh, 'ssh') : undefined;
  const ssh = {
    ...whole,
    ...given(typeof values.host === 'string' ? { host: values.host } : undefined),
    ...given(values.port === undefined ? undefined : { port: numberFlag(values.port) as number }),
    ...given(typeof values.user === 'string' ? { user: values.user } : undefined),
  };
  const secret = (flag: string) => (values[flag] === undefined ? undefined : secretFromEnv(values, flag));
  const auth = {
    ...given(typeof values.identity === 'string' ? { identityFile: values.identity, password: null, useAgent: false } : undefined),
    ...given(values['password-env'] === undefined ? undefined : { password: secret('password-env') as string, identityFile: null, useAgent: false }),
    ...given(values['ssh-agent'] === true ? { useAgent: true, identityFile: null, password: null } : undefined),
    ...given(values['passphrase-env'] === undefined ? undefined : { passphrase: secret('passphrase-env') as string }),
    ...given(values['sudo-password-env'] === undefined ? undefined : { sudoPassword: secret('sudo-password-env') as string }),
    ...given(values['sudo-same-as-login'] === true ? { sudoPassword: null } : undefined),
  };
  if (values['sudo-same-as-login'] === true && values['sudo-password-env'] !== undefined)
    throw new UsageError('give either --sudo-password-env or --sudo-same-as-login');
  const jumpAuth =
    values['jump-same-as-machine'] === true
      ? null
      : typeof values['jump-identity'] === 'string'
        ? { identityFile: values['jump-identity'], password: null, useAgent: false }
        : values['jump-password-env'] !== undefined
          ? { password: secret('jump-password-env') as string, identityFile: null, useAgent: false }
          : undefined;
  const jump = values['no-jump'] === true ? [] : ((values.jump as string[] | undefined) ?? []).map((j) => parseSshTarget(j, 'jump'));
  return {
    ...(Object.keys(ssh).length ? { ssh } : {}),
    ...(Object.keys(auth).length ? { auth } : {}),
    ...(values['no-jump'] === true || jump.length ? { jump } : {}),
    ...(jumpAuth === undefined ? {} : { jumpAuth }),
    ...(values.site === undefined ? {} : { site: values.site as MachineSummary['site'] }),
    ...(values.role === undefined ? {} : { role: values.role as MachineSummary['role'] }),
  };
}

const editOptions = {
  ...dataOptions,
  ...machineOptions,
  host: { type: 'string' },
  port: { type: 'string' },
  user: { type: 'string' },
  'sudo-same-as-login': { type: 'boolean' },
  'no-jump': { type: 'boolean' },
  'jump-same-as-machine': { type: 'boolean' },
} as const;

const editHelp = {
  ...dataHelp,
  ssh: { description: 'the whole SSH target at once', value: 'USER@HOST[:PORT]', default: 'unchanged' },
  host: { description: 'the host name or address to reach it at', value: 'HOST', default: 'unchanged' },
  port: { description: 'the SSH port', value: 'N', default: 'unchanged' },
  user: { description: 'the user to log in as', value: 'USER', default: 'unchanged' },
  identity: { description: 'log in with this private key file (instead of a password or the agent)', value: 'FILE' },
  'passphrase-env': { description: "the environment variable holding the key's passphrase", value: 'VAR' },
  'password-env': { description: 'log in with the password this environment variable holds', value: 'VAR' },
  'ssh-agent': { description: 'log in with the keys of the running SSH agent' },
  'sudo-password-env': { description: 'the environment variable holding the sudo password', value: 'VAR' },
  'sudo-same-as-login': { description: 'give sudo the login password again (forget a separate sudo password)' },
  jump: { description: 'a jump host, outermost first; replaces the stored list', value: 'USER@HOST[:PORT]' },
  'no-jump': { description: 'connect directly, without jump hosts' },
  'jump-identity': { description: "the jump hosts' own private key file", value: 'FILE' },
  'jump-password-env': { description: "the environment variable holding the jump hosts' own password", value: 'VAR' },
  'jump-same-as-machine': { description: 'the jump hosts sign in like the machine again' },
  site: { description: 'where the machine sits', value: 'KIND', choices: siteKinds, default: 'unchanged' },
  role: { description: "the machine's Kubernetes role", value: 'ROLE', choices: machineRoles, default: 'unchanged' },
};

function testText(result: MachineTestResult): string {
  const lines = result.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.check.padEnd(7)} ${c.detail}`);
  if (result.hostKey)
    lines.push(`host key of ${result.hostKey.address}${result.hostKey.via ? ` (via ${result.hostKey.via})` : ''}: ${result.hostKey.fingerprint}`);
  if (result.error) {
    const field = result.error.details?.field;
    lines.push(`fix ${typeof field === 'string' ? `${field}: ` : ''}${result.error.hint ?? result.error.message}`);
    if (result.error.code === 'HOST_KEY_UNKNOWN' && result.hostKey) lines.push(`trust it with --accept-host-key ${result.hostKey.fingerprint}`);
  }
  return `${lines.join('\n')}\n${result.error ? 'the test failed' : 'every check passed'} in ${(result.elapsedMs / 1000).toFixed(1)} s`;
}

/** `spanwise node edit|test`: change a stored machine, and test its SSH sign-in without onboarding. */
export const machineCommands: Command[] = [
  {
    path: ['node', 'edit'],
    summary: "change a machine's SSH target, sign-in, jump hosts, site or role (flags not given stay as stored)",
    usage:
      'NAME [--host HOST] [--port N] [--user USER] [--identity FILE | --password-env VAR | --ssh-agent] [--sudo-password-env VAR | --sudo-same-as-login] [--jump USER@HOST[:PORT]]... [--no-jump] [--jump-identity FILE | --jump-password-env VAR | --jump-same-as-machine] [--site KIND] [--role ROLE] [-o FORMAT]',
    options: editOptions,
    optionHelp: editHelp,
    examples: [
      'spanwise node edit edge1 --port 2222',
      'SUDOPASS=... spanwise node edit dc1 --sudo-password-env SUDOPASS',
      'spanwise node edit edge1 --jump root@203.0.113.7 --jump-identity ~/.ssh/bastion',
    ],
    positionals: true,
    async run(values, positionals) {
      const format = outputFormat(values);
      const name = onePositional(positionals, 'machine NAME');
      const set = patchOf(values);
      if (Object.keys(set).length === 0) throw new UsageError('give at least one thing to change, e.g. --port 2222');
      const machine = await withClient(values, (c) => c.invoke('machine:update', { name, set }, patchFlags));
      print(format, machine, () => `updated machine ${machine.name}\n${machineTable([machine], false)}`);
    },
  },
  {
    path: ['node', 'test'],
    summary: 'test SSH to a machine (through its jump hosts): reached, host key, login, sudo; flags test changes before saving them',
    usage: 'NAME [--accept-host-key SHA256:...] [edit flags] [-o FORMAT]',
    options: { ...editOptions, 'accept-host-key': { type: 'string' } },
    optionHelp: { ...editHelp, 'accept-host-key': { description: 'trust this host key fingerprint for the hop that presents it', value: 'SHA256:...' } },
    examples: ['spanwise node test edge1', 'spanwise node test edge1 --port 2222', 'spanwise node test edge1 --accept-host-key SHA256:...'],
    positionals: true,
    async run(values, positionals) {
      const format = outputFormat(values);
      const name = onePositional(positionals, 'machine NAME');
      const accept = typeof values['accept-host-key'] === 'string' ? { acceptHostKey: values['accept-host-key'] } : {};
      const result = await withClient(values, (c) => c.invoke('machine:test', { name, set: patchOf(values), ...accept }, patchFlags));
      print(format, result, () => testText(result));
      return result.error ? 1 : 0;
    },
  },
];

import type { MachinePatch, MachineSummary } from '../../electron/contract/index.js';
import { emptyMachineForm, jumpsOf, type AuthKind, type MachineFormValues, type StoredSecrets } from './machine-form.js';
import { wholeNumber } from './schema-issues.js';

const hop = (t: { user: string; host: string; port: number }) => `${t.user}@${t.host}${t.port === 22 ? '' : `:${t.port}`}`;
const kindOf = (a: { identityFile: string | null; hasPassword: boolean }): AuthKind => (a.identityFile ? 'key' : a.hasPassword ? 'password' : 'agent');

/** The form prefilled with a stored machine; secret fields stay empty (empty keeps the stored secret). */
export function formOf(machine: MachineSummary): MachineFormValues {
  return {
    ...emptyMachineForm,
    name: machine.name,
    host: machine.ssh.host,
    port: String(machine.ssh.port),
    user: machine.ssh.user,
    authKind: kindOf(machine),
    identityFile: machine.identityFile ?? '',
    jump: machine.jump.map(hop).join(', '),
    sudoSame: !machine.hasSudoPassword,
    jumpAuthKind: machine.jumpAuth ? kindOf(machine.jumpAuth) : 'same',
    jumpIdentityFile: machine.jumpAuth?.identityFile ?? '',
    site: machine.site,
    role: machine.role,
  };
}

/** What a stored machine keeps when a secret field is left empty. */
export const storedSecretsOf = (machine: MachineSummary): StoredSecrets => ({
  hasPassword: machine.hasPassword,
  hasSudoPassword: machine.hasSudoPassword,
  hasJumpPassword: machine.jumpAuth?.hasPassword ?? false,
});

type SignIn = { identityFile?: string | null; passphrase?: string | null; password?: string | null; useAgent?: boolean };

/** One sign-in as a change: the chosen kind set, the others cleared; an empty secret keeps the stored one. */
function signIn(kind: AuthKind, identityFile: string, password: string, passphrase = ''): SignIn {
  if (kind === 'key') return { identityFile: identityFile.trim(), password: null, useAgent: false, ...(passphrase ? { passphrase } : {}) };
  if (kind === 'password') return { identityFile: null, passphrase: null, useAgent: false, ...(password ? { password } : {}) };
  return { identityFile: null, passphrase: null, password: null, useAgent: true };
}

/** The `machine:update` (or `machine:test`) change the form's valid values ask for. */
export function toMachinePatch(values: MachineFormValues): MachinePatch {
  const sudo = values.sudoSame ? { sudoPassword: null } : values.sudoPassword ? { sudoPassword: values.sudoPassword } : {};
  return {
    ssh: { host: values.host.trim(), port: wholeNumber(values.port) ?? Number.NaN, user: values.user },
    auth: { ...signIn(values.authKind, values.identityFile, values.password, values.passphrase), ...sudo },
    jump: jumpsOf(values),
    jumpAuth: values.jumpAuthKind === 'same' ? null : signIn(values.jumpAuthKind, values.jumpIdentityFile, values.jumpPassword),
    site: values.site,
    role: values.role,
  };
}

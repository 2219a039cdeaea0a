import type { MachineInput, MachineRole, SiteKind } from '../../electron/contract/index.js';
import { hostRule, keyFileRule, nameRule, parseJump, portRule, userRule } from './rules.js';

/** How a machine authenticates in the form. */
export type AuthKind = 'key' | 'password' | 'agent';

/** The add-machine form as typed: every field a string until it is valid. */
export interface MachineFormValues {
  name: string;
  host: string;
  port: string;
  user: string;
  authKind: AuthKind;
  identityFile: string;
  passphrase: string;
  password: string;
  /** Comma-separated `user@host[:port]`, outermost first. */
  jump: string;
  site: SiteKind;
  role: MachineRole;
}

/** The fields that can carry a message. */
export type MachineField = keyof MachineFormValues;

/** Messages by field; a field without an entry is fine. */
export type FieldErrors<F extends string> = Partial<Record<F, string>>;

export const emptyMachineForm: MachineFormValues = {
  name: '',
  host: '',
  port: '22',
  user: 'root',
  authKind: 'key',
  identityFile: '',
  passphrase: '',
  password: '',
  jump: '',
  site: 'cloud',
  role: 'worker',
};

/** Checks every field; the messages name the field and the fix. */
export function validateMachineForm(values: MachineFormValues): FieldErrors<MachineField> {
  const errors: FieldErrors<MachineField> = {};
  const put = (field: MachineField, message: string | null) => {
    if (message) errors[field] = message;
  };
  put('name', nameRule('Name')(values.name));
  put('host', hostRule(values.host));
  put('port', portRule()(values.port));
  put('user', userRule(values.user));
  if (values.authKind === 'key') put('identityFile', keyFileRule(values.identityFile));
  if (values.authKind === 'password' && values.password === '') put('password', 'Password: enter the SSH password, or pick another way to sign in');
  if (values.jump.trim() !== '') {
    const hops = values.jump.split(',');
    if (hops.length > 4) put('jump', 'Jump host: use at most 4 jump hosts');
    for (const hop of hops) {
      const parsed = parseJump(hop);
      if (typeof parsed === 'string') {
        put('jump', parsed);
        break;
      }
    }
  }
  return errors;
}

/** The contract request for valid values (call only when `validateMachineForm` found nothing). */
export function toMachineInput(values: MachineFormValues): MachineInput {
  const jump = values.jump.trim() === '' ? [] : values.jump.split(',').map((hop) => parseJump(hop) as { user: string; host: string; port: number });
  const auth =
    values.authKind === 'key'
      ? { identityFile: values.identityFile.trim(), ...(values.passphrase ? { passphrase: values.passphrase } : {}) }
      : values.authKind === 'password'
        ? { password: values.password }
        : { useAgent: true };
  return {
    name: values.name,
    ssh: { host: values.host.trim(), port: Number(values.port), user: values.user },
    auth,
    jump,
    site: values.site,
    role: values.role,
  };
}

const backendFields: Array<[RegExp, MachineField]> = [
  [/^name$/, 'name'],
  [/^ssh\.host$/, 'host'],
  [/^ssh\.port$/, 'port'],
  [/^ssh\.user$/, 'user'],
  [/^auth\.identityFile$/, 'identityFile'],
  [/^auth\.passphrase$/, 'passphrase'],
  [/^auth\.password$/, 'password'],
  [/^auth$/, 'authKind'],
  [/^jump/, 'jump'],
  [/^site$/, 'site'],
  [/^role$/, 'role'],
];

const fieldLabels: Record<MachineField, string> = {
  name: 'Name',
  host: 'Host',
  port: 'Port',
  user: 'User',
  authKind: 'Sign in with',
  identityFile: 'Key file',
  passphrase: 'Passphrase',
  password: 'Password',
  jump: 'Jump host',
  site: 'Site',
  role: 'Role',
};

/**
 * Places the backend's error envelope on the form's fields. Envelope messages
 * read `path: problem; path: problem` (after an optional `channel: ` prefix);
 * what cannot be placed is returned as `rest`.
 */
export function placeMachineErrors(code: string, message: string, hint?: string): { fields: FieldErrors<MachineField>; rest: string | null } {
  if (code === 'MACHINE_EXISTS') return { fields: { name: `Name: ${message}; ${hint ?? 'choose another name'}` }, rest: null };
  const body = message.replace(/^[a-z]+:[A-Za-z]+: /, '');
  const fields: FieldErrors<MachineField> = {};
  const rest: string[] = [];
  for (const part of body.split('; ')) {
    const match = /^([A-Za-z.[\]0-9]+): (.*)$/.exec(part);
    const field = match ? backendFields.find(([re]) => re.test(match[1] as string))?.[1] : undefined;
    if (match && field) fields[field] = `${fieldLabels[field]}: ${match[2]}${hint ? ` (${hint})` : ''}`;
    else rest.push(part);
  }
  return { fields, rest: rest.length ? rest.join('; ') : null };
}

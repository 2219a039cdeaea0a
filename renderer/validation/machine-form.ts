import type { MachineInput, MachineRole, SiteKind } from '../../electron/contract/index.js';
import { machineInputSchema } from '../../electron/contract/fields.js';
import { schemaIssues, wholeNumber } from './schema-issues.js';

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
  /** Give sudo the login password (the default), or its own. */
  sudoSame: boolean;
  sudoPassword: string;
  /** How the jump hosts sign in: like the machine (the default), or with their own key, password or the SSH agent. */
  jumpAuthKind: 'same' | AuthKind;
  jumpIdentityFile: string;
  jumpPassword: string;
  site: SiteKind;
  role: MachineRole;
}

/** What an edit keeps when a secret field is left empty: the stored secrets. */
export interface StoredSecrets {
  hasPassword: boolean;
  hasSudoPassword: boolean;
  hasJumpPassword: boolean;
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
  sudoSame: true,
  sudoPassword: '',
  jumpAuthKind: 'same',
  jumpIdentityFile: '',
  jumpPassword: '',
  site: 'cloud',
  role: 'worker',
};

/** One SSH hop before the schema checks it. */
type Hop = { user: string; host: string; port: number };

/** One jump host as typed, `user@host[:port]`; the contract's schema checks its parts. */
function parseJump(text: string): Hop | string {
  const match = /^([^@\s]+)@([^:\s]+)(?::(\d{1,9}))?$/.exec(text.trim());
  if (!match) return `write it as user@host or user@host:port (got "${text.trim()}")`;
  const [, user = '', host = '', port = '22'] = match;
  return { user, host, port: Number(port) };
}

function parseJumps(text: string): Hop[] | string {
  if (text.trim() === '') return [];
  const hops = text.split(',').map(parseJump);
  return hops.find((hop) => typeof hop === 'string') ?? (hops as Hop[]);
}

/** A key file path as the form wants it, or what is wrong with it. */
function keyProblem(path: string): string | null {
  if (path === '') return 'enter the path of a private key, e.g. ~/.ssh/id_ed25519';
  if (!/^(\/|~\/|[A-Za-z]:\\)/.test(path)) return 'use a full path (starting with / or ~/)';
  if (path.endsWith('.pub')) return 'give the private key, not the .pub file';
  return null;
}

/** What the form asks beyond the contract: a key file or a password for the chosen sign-in (an edit keeps stored secrets left empty). */
function formRequirements(values: MachineFormValues, stored?: StoredSecrets): Array<[MachineField, string]> {
  const out: Array<[MachineField, string]> = [];
  const key = values.authKind === 'key' ? keyProblem(values.identityFile.trim()) : null;
  if (key) out.push(['identityFile', key]);
  if (values.authKind === 'password' && values.password === '' && !stored?.hasPassword)
    out.push(['password', 'enter the SSH password, or pick another way to sign in']);
  if (!values.sudoSame && values.sudoPassword === '' && !stored?.hasSudoPassword)
    out.push(['sudoPassword', 'enter the sudo password, or tick "same as login"']);
  if (values.jumpAuthKind !== 'same' && values.jump.trim() === '') out.push(['jumpAuthKind', 'add a jump host first, or sign in to it like the machine']);
  const jumpKey = values.jumpAuthKind === 'key' ? keyProblem(values.jumpIdentityFile.trim()) : null;
  if (jumpKey) out.push(['jumpIdentityFile', jumpKey]);
  if (values.jumpAuthKind === 'password' && values.jumpPassword === '' && !stored?.hasJumpPassword)
    out.push(['jumpPassword', "enter the jump host's password, or pick another way to sign in"]);
  return out;
}

/**
 * Checks the form with the contract's `machine:add` schema; each message is the field's label
 * and the schema's message (the jump host also says which hop).
 */
export function validateMachineForm(values: MachineFormValues, stored?: StoredSecrets): FieldErrors<MachineField> {
  const errors: FieldErrors<MachineField> = {};
  const put = (field: MachineField, message: string) => {
    errors[field] ??= `${fieldLabels[field]}: ${message}`;
  };
  const port = wholeNumber(values.port);
  if (port === undefined) put('port', 'use a whole number from 1 to 65535');
  const jump = parseJumps(values.jump);
  if (typeof jump === 'string') put('jump', jump);
  for (const requirement of formRequirements(values, stored)) put(...requirement);
  const input = buildInput(values, port ?? Number.NaN, typeof jump === 'string' ? [] : jump);
  for (const issue of schemaIssues(machineInputSchema, input)) {
    const path = issue.path.join('.');
    const field = fieldOfPath(path);
    if (field === 'jump' && typeof issue.path[1] === 'number') put('jump', `hop ${issue.path[1] + 1}: ${issue.message}`);
    else if (field) put(field, issue.message);
  }
  return errors;
}

type Auth = NonNullable<MachineInput['auth']>;

function authOf(kind: AuthKind, identityFile: string, passphrase: string, password: string): Auth {
  if (kind === 'key') return { identityFile: identityFile.trim(), ...(passphrase ? { passphrase } : {}) };
  return kind === 'password' ? { password } : { useAgent: true };
}

function buildInput(values: MachineFormValues, port: number, jump: Hop[]): MachineInput {
  const auth = {
    ...authOf(values.authKind, values.identityFile, values.passphrase, values.password),
    ...(values.sudoSame ? {} : { sudoPassword: values.sudoPassword }),
  };
  const jumpAuth = values.jumpAuthKind === 'same' ? {} : { jumpAuth: authOf(values.jumpAuthKind, values.jumpIdentityFile, '', values.jumpPassword) };
  return { name: values.name, ssh: { host: values.host.trim(), port, user: values.user }, auth, jump, ...jumpAuth, site: values.site, role: values.role };
}

/** The jump hosts as typed, parsed (call only when `validateMachineForm` found nothing). */
export function jumpsOf(values: MachineFormValues): Hop[] {
  const jump = parseJumps(values.jump);
  return typeof jump === 'string' ? [] : jump;
}

/** The contract request for valid values (call only when `validateMachineForm` found nothing). */
export function toMachineInput(values: MachineFormValues): MachineInput {
  return buildInput(values, wholeNumber(values.port) ?? Number.NaN, jumpsOf(values));
}

const backendFields: Array<[RegExp, MachineField]> = [
  [/^name$/, 'name'],
  [/^ssh\.host$/, 'host'],
  [/^ssh\.port$/, 'port'],
  [/^ssh\.user$/, 'user'],
  [/^auth\.identityFile$/, 'identityFile'],
  [/^auth\.passphrase$/, 'passphrase'],
  [/^auth\.password$/, 'password'],
  [/^auth\.sudoPassword$/, 'sudoPassword'],
  [/^auth$/, 'authKind'],
  [/^jumpAuth\.identityFile$/, 'jumpIdentityFile'],
  [/^jumpAuth\.password$/, 'jumpPassword'],
  [/^jumpAuth/, 'jumpAuthKind'],
  [/^jump/, 'jump'],
  [/^site$/, 'site'],
  [/^role$/, 'role'],
];

/** The form field a contract path names (`ssh.port` -> port), if any. */
export const fieldOfPath = (path: string) => backendFields.find(([re]) => re.test(path))?.[1];

/** The label of each field, as messages name it. */
export const fieldLabels: Record<MachineField, string> = {
  name: 'Name',
  host: 'Host',
  port: 'Port',
  user: 'User',
  authKind: 'Sign in with',
  identityFile: 'Key file',
  passphrase: 'Passphrase',
  password: 'Password',
  jump: 'Jump host',
  sudoSame: 'Sudo password',
  sudoPassword: 'Sudo password',
  jumpAuthKind: 'Jump host signs in with',
  jumpIdentityFile: 'Jump host key file',
  jumpPassword: 'Jump host password',
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
    const field = match ? fieldOfPath(match[1] as string) : undefined;
    if (match && field) fields[field] = `${fieldLabels[field]}: ${match[2]}${hint ? ` (${hint})` : ''}`;
    else rest.push(part);
  }
  return { fields, rest: rest.length ? rest.join('; ') : null };
}

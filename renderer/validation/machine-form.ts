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

/** What the form asks beyond the contract: a key file when signing in with one, a password when with one. */
function formRequirement(values: MachineFormValues): [MachineField, string] | null {
  const key = values.identityFile.trim();
  if (values.authKind === 'key' && key === '') return ['identityFile', 'enter the path of a private key, e.g. ~/.ssh/id_ed25519'];
  if (values.authKind === 'key' && !/^(\/|~\/|[A-Za-z]:\\)/.test(key)) return ['identityFile', 'use a full path (starting with / or ~/)'];
  if (values.authKind === 'key' && key.endsWith('.pub')) return ['identityFile', 'give the private key, not the .pub file'];
  if (values.authKind === 'password' && values.password === '') return ['password', 'enter the SSH password, or pick another way to sign in'];
  return null;
}

/**
 * Checks the form with the contract's `machine:add` schema; each message is the field's label
 * and the schema's message (the jump host also says which hop).
 */
export function validateMachineForm(values: MachineFormValues): FieldErrors<MachineField> {
  const errors: FieldErrors<MachineField> = {};
  const put = (field: MachineField, message: string) => {
    errors[field] ??= `${fieldLabels[field]}: ${message}`;
  };
  const port = wholeNumber(values.port);
  if (port === undefined) put('port', 'use a whole number from 1 to 65535');
  const jump = parseJumps(values.jump);
  if (typeof jump === 'string') put('jump', jump);
  const requirement = formRequirement(values);
  if (requirement) put(...requirement);
  const input = buildInput(values, port ?? Number.NaN, typeof jump === 'string' ? [] : jump);
  for (const issue of schemaIssues(machineInputSchema, input)) {
    const path = issue.path.join('.');
    const field = fieldOfPath(path);
    if (field === 'jump' && typeof issue.path[1] === 'number') put('jump', `hop ${issue.path[1] + 1}: ${issue.message}`);
    else if (field) put(field, issue.message);
  }
  return errors;
}

function buildInput(values: MachineFormValues, port: number, jump: Hop[]): MachineInput {
  const auth =
    values.authKind === 'key'
      ? { identityFile: values.identityFile.trim(), ...(values.passphrase ? { passphrase: values.passphrase } : {}) }
      : values.authKind === 'password'
        ? { password: values.password }
        : { useAgent: true };
  return { name: values.name, ssh: { host: values.host.trim(), port, user: values.user }, auth, jump, site: values.site, role: values.role };
}

/** The contract request for valid values (call only when `validateMachineForm` found nothing). */
export function toMachineInput(values: MachineFormValues): MachineInput {
  const jump = parseJumps(values.jump);
  return buildInput(values, wholeNumber(values.port) ?? Number.NaN, typeof jump === 'string' ? [] : jump);
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

const fieldOfPath = (path: string) => backendFields.find(([re]) => re.test(path))?.[1];

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
    const field = match ? fieldOfPath(match[1] as string) : undefined;
    if (match && field) fields[field] = `${fieldLabels[field]}: ${match[2]}${hint ? ` (${hint})` : ''}`;
    else rest.push(part);
  }
  return { fields, rest: rest.length ? rest.join('; ') : null };
}

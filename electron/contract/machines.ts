import * as z from 'zod';
import type { ErrorEnvelope } from '../../agent/shared/errors.js';
import { siteKinds, type SiteKind } from '../../agent/shared/site-kinds.js';
import { portNumber } from './numbers.js';

export { siteKinds, type SiteKind } from '../../agent/shared/site-kinds.js';

/** The machine's Kubernetes role. */
export const machineRoles = ['controlplane', 'worker'] as const;
export type MachineRole = (typeof machineRoles)[number];

const hostname = z
  .string()
  .min(1, 'enter a host name or IP address')
  .max(253)
  .regex(/^[A-Za-z0-9.:_-]+$/, 'use a host name or an IP address (letters, digits, dots, colons, dashes)');

/** An SSH endpoint: `user@host:port`. */
export const sshTargetSchema = z
  .object({
    user: z.string().regex(/^[a-z_][a-z0-9_.-]{0,31}$/i, 'use a Unix user name such as root or ubuntu'),
    host: hostname,
    port: portNumber().default(22),
  })
  .strict();
export type SshTarget = z.output<typeof sshTargetSchema>;

/** How the desktop authenticates: a key file (optionally with a passphrase), a password, or the SSH agent. */
export const sshAuthSchema = z
  .object({
    identityFile: z.string().min(1).max(4096).optional(),
    passphrase: z.string().max(1024).optional(),
    password: z.string().max(1024).optional(),
    /** Given to sudo when it asks; defaults to the SSH password. */
    sudoPassword: z.string().max(1024).optional(),
    useAgent: z.boolean().default(false),
  })
  .strict();
export type SshAuth = z.output<typeof sshAuthSchema>;

/** How jump hosts authenticate when their credentials differ from the machine's (sudo is never used on them). */
export const jumpAuthSchema = sshAuthSchema.omit({ sudoPassword: true });
export type JumpAuth = z.output<typeof jumpAuthSchema>;

/** A machine name: its node name in the mesh. */
export const machineNameSchema = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'use 1-63 lowercase letters, digits and dashes, starting and ending with a letter or digit');

/** What the user enters to add a machine. */
export const machineInputSchema = z
  .object({
    name: machineNameSchema,
    ssh: sshTargetSchema,
    auth: sshAuthSchema.default({ useAgent: false }),
    /** Jump hosts, outermost first; they sign in with `jumpAuth`, or with the machine's own `auth` when it is absent. */
    jump: z.array(sshTargetSchema).max(4, 'use at most 4 jump hosts').default([]),
    /** The jump hosts' own credentials, when they differ from the machine's (the user is in each jump target). */
    jumpAuth: jumpAuthSchema.optional(),
    site: z.enum(siteKinds).default('cloud'),
    role: z.enum(machineRoles).default('worker'),
    labels: z.record(z.string().max(63), z.string().max(253)).default({}),
  })
  .strict();
export type MachineInput = z.input<typeof machineInputSchema>;

/** Where a machine is in its life. */
export type MachineState = 'added' | 'onboarding' | 'onboarded' | 'failed' | 'removing';

/** A machine as the UI sees it; never carries passwords or passphrases. */
export interface MachineSummary {
  name: string;
  site: SiteKind;
  role: MachineRole;
  ssh: SshTarget;
  jump: SshTarget[];
  identityFile: string | null;
  hasPassword: boolean;
  hasSudoPassword: boolean;
  useAgent: boolean;
  /** The jump hosts' own sign-in, or null when they use the machine's. */
  jumpAuth: { identityFile: string | null; hasPassword: boolean; useAgent: boolean } | null;
  labels: Record<string, string>;
  state: MachineState;
  createdAt: string;
}

/** A secret in an update: a string replaces it, null clears it, absent keeps the stored one. */
const secretChange = z.string().max(1024).nullable().optional();

/**
 * What `machine:update` changes: each absent field keeps its stored value; `ssh` merges field by
 * field; `auth` and `jumpAuth` merge key by key (null clears a key; `jumpAuth: null` makes the
 * jump hosts use the machine's own sign-in again). The merged machine is checked like `machine:add`.
 */
export const machinePatchSchema = z
  .object({
    ssh: sshTargetSchema.partial().optional(),
    auth: z
      .object({
        identityFile: z.string().min(1).max(4096).nullable().optional(),
        passphrase: secretChange,
        password: secretChange,
        sudoPassword: secretChange,
        useAgent: z.boolean().optional(),
      })
      .strict()
      .optional(),
    jump: z.array(sshTargetSchema).max(4, 'use at most 4 jump hosts').optional(),
    jumpAuth: z
      .object({
        identityFile: z.string().min(1).max(4096).nullable().optional(),
        passphrase: secretChange,
        password: secretChange,
        useAgent: z.boolean().optional(),
      })
      .strict()
      .nullable()
      .optional(),
    site: z.enum(siteKinds).optional(),
    role: z.enum(machineRoles).optional(),
    labels: z.record(z.string().max(63), z.string().max(253)).optional(),
  })
  .strict();
export type MachinePatch = z.input<typeof machinePatchSchema>;

/** One check of a connection test, in the order they run. */
export type MachineCheck = 'reach' | 'hostKey' | 'login' | 'sudo';

/** What a connection test found; nothing is stored by a test except a host key the request accepted. */
export interface MachineTestResult {
  machine: string;
  /** Each check that ran: whether it passed and what it saw. Checks after a failure do not run. */
  checks: Array<{ check: MachineCheck; ok: boolean; detail: string }>;
  /** The host key of the hop the test stopped at, or of the machine when every hop was trusted. */
  hostKey: { fingerprint: string; address: string; via?: string; trusted: boolean } | null;
  /** Why the test stopped, with `details.field` naming the form field to fix (e.g. `ssh.port`, `jump[0]`, `auth.sudoPassword`). */
  error: ErrorEnvelope | null;
  elapsedMs: number;
}

/** Requests of the machine domain (in the current cluster). */
export const machineRequests = {
  'machine:list': z.object({}).strict(),
  'machine:add': machineInputSchema,
  /** Changes a stored machine; a new address, port or route forgets the host keys only it used. */
  'machine:update': z.object({ name: machineNameSchema, set: machinePatchSchema }).strict(),
  /**
   * Connects with a machine's values (`set` merged over the stored machine, or over the defaults
   * for a machine not added yet), through its jump hosts: reach, host key, login, sudo.
   * `acceptHostKey` trusts that fingerprint for the hop that presents it.
   */
  'machine:test': z
    .object({
      name: machineNameSchema,
      set: machinePatchSchema.default({}),
      acceptHostKey: z
        .string()
        .regex(/^SHA256:[A-Za-z0-9+/]{43}$/)
        .optional(),
    })
    .strict(),
  'machine:delete': z.object({ name: machineNameSchema }).strict(),
  'machine:importSshConfig': z.object({ path: z.string().min(1).max(4096).optional() }).strict(),
};

/** A machine found in an OpenSSH client config (nothing is stored by importing). */
export interface ImportedHost {
  name: string;
  ssh: SshTarget;
  identityFile: string | null;
  jump: SshTarget[];
}

import * as z from 'zod';
import { portNumber } from './numbers.js';

/** Where a machine sits: decides defaults (e.g. which nodes to open for the mesh). */
export const siteKinds = ['edge', 'datacenter', 'cloud'] as const;
export type SiteKind = (typeof siteKinds)[number];

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
    /** Jump hosts, outermost first; they authenticate with the machine's key file or the SSH agent. */
    jump: z.array(sshTargetSchema).max(4, 'use at most 4 jump hosts').default([]),
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
  labels: Record<string, string>;
  state: MachineState;
  createdAt: string;
}

/** Requests of the machine domain (in the current cluster). */
export const machineRequests = {
  'machine:list': z.object({}).strict(),
  'machine:add': machineInputSchema,
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

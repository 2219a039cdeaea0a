import { existsSync } from 'node:fs';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import { describeIssues } from '../../../agent/shared/validation.js';
import { machineInputSchema, type MachineInput, type MachinePatch, type MachineSummary, type MachineTestResult } from '../../contract/machines.js';
import type { ClusterService } from '../clusters/cluster-service.js';
import type { DomainEvents } from '../domain-events.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { HostKeyStore } from '../ssh/host-keys.js';
import type { SshCredentials } from '../ssh/session.js';
import { testConnection } from '../ssh/test-connection.js';
import type { MachineRow, MachineStore } from '../store/machines.js';
import { applyPatch, stalePlaces } from './machine-patch.js';

/** Decrypted credentials of one machine, for the SSH provisioner only. */
export interface MachineCredentials {
  identityFile: string | null;
  passphrase: string | null;
  password: string | null;
  sudoPassword: string | null;
  useAgent: boolean;
  /** The jump hosts' own credentials; absent or null: they use the machine's. */
  jump?: SshCredentials | null;
}

/** A machine input after the contract's schema and the service's own checks. */
export type CheckedMachine = ReturnType<typeof machineInputSchema.parse>;

/** Adds, edits, lists and deletes the machines of the current cluster. */
export class MachineService {
  constructor(
    private readonly store: MachineStore,
    private readonly clusters: ClusterService,
    private readonly secrets: SecretBox,
    private readonly inventory: DomainEvents,
    private readonly hostKeys: HostKeyStore,
  ) {}

  list(): MachineSummary[] {
    return this.store.list(this.clusters.current().name).map(summary);
  }

  add(input: MachineInput): MachineSummary {
    const machine = checkMachine(input);
    const cluster = this.clusters.current().name;
    if (this.store.get(cluster, machine.name))
      throw new SpanwiseError(
        'MACHINE_EXISTS',
        `a machine named '${machine.name}' already exists in ${cluster}`,
        'choose another name, or remove the existing machine',
      );
    const row = this.rowOf(machine, { cluster, state: 'added', createdAt: new Date().toISOString(), underlayMtu: null });
    this.store.insert(row);
    this.inventory.emit({ kind: 'machine-added', cluster, machine: row.name });
    return summary(row);
  }

  /** Changes a stored machine (checked like add); host keys trusted only for its old address or route are forgotten. */
  update(name: string, patch: MachinePatch): MachineSummary {
    const before = this.get(name);
    const row = this.rowOf(checkMachine(applyPatch(this.inputOf(before), patch)), before);
    this.store.update(row);
    const others = this.clusters.list().flatMap((c) => this.store.list(c.name).filter((m) => m.cluster !== row.cluster || m.name !== row.name));
    for (const place of stalePlaces(before, row, others)) this.hostKeys.forget(place);
    return summary(row);
  }

  /** The machine `patch` describes (over the stored one, or over the defaults for a new name with a host), checked; nothing is stored. */
  preview(name: string, patch: MachinePatch): { machine: CheckedMachine; credentials: MachineCredentials } {
    const stored = this.store.get(this.clusters.current().name, name);
    if (!stored && !patch.ssh?.host) throw this.missing(name);
    const machine = checkMachine(applyPatch(stored ? this.inputOf(stored) : { name, ssh: { user: '', host: '' } }, patch));
    return { machine, credentials: credentialsOf(machine) };
  }

  /** Tests SSH with the machine `patch` describes (see preview); nothing is stored but a host key `acceptHostKey` confirms. */
  test(name: string, patch: MachinePatch, acceptHostKey?: string): Promise<MachineTestResult> {
    const { machine, credentials } = this.preview(name, patch);
    return testConnection({ name, machine, credentials, hostKeys: this.hostKeys, ...(acceptHostKey ? { acceptHostKey } : {}) });
  }

  delete(name: string): void {
    const cluster = this.clusters.current().name;
    if (!this.store.delete(cluster, name)) throw this.missing(name);
    this.inventory.emit({ kind: 'machine-removed', cluster, machine: name });
  }

  get(name: string): MachineRow {
    const row = this.store.get(this.clusters.current().name, name);
    if (!row) throw this.missing(name);
    return row;
  }

  credentials(row: MachineRow): MachineCredentials {
    return credentialsOf(this.inputOf(row));
  }

  /** The stored machine as an input, its secrets opened (for merging an edit; never returned to a client). */
  private inputOf(row: MachineRow): MachineInput {
    const open = (sealed: Buffer | null) => (sealed ? this.secrets.open(sealed) : undefined);
    const defined = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
    const jump = row.jumpAuth;
    return {
      name: row.name,
      ssh: row.ssh,
      auth: defined({
        identityFile: row.identityFile ?? undefined,
        passphrase: open(row.passphraseSealed),
        password: open(row.passwordSealed),
        sudoPassword: open(row.sudoPasswordSealed),
        useAgent: row.useAgent,
      }),
      jump: row.jump,
      ...(jump
        ? {
            jumpAuth: defined({
              identityFile: jump.identityFile ?? undefined,
              passphrase: open(jump.passphraseSealed),
              password: open(jump.passwordSealed),
              useAgent: jump.useAgent,
            }),
          }
        : {}),
      site: row.site,
      role: row.role,
      labels: row.labels,
    };
  }

  private rowOf(machine: CheckedMachine, kept: Pick<MachineRow, 'cluster' | 'state' | 'createdAt' | 'underlayMtu'>): MachineRow {
    const seal = (value: string | undefined) => (value ? this.secrets.seal(value) : null);
    const { auth, jumpAuth } = machine;
    return {
      cluster: kept.cluster,
      name: machine.name,
      site: machine.site,
      role: machine.role,
      ssh: machine.ssh,
      jump: machine.jump,
      identityFile: auth.identityFile ?? null,
      useAgent: auth.useAgent,
      passwordSealed: seal(auth.password),
      passphraseSealed: seal(auth.passphrase),
      sudoPasswordSealed: seal(auth.sudoPassword),
      jumpAuth: jumpAuth
        ? {
            identityFile: jumpAuth.identityFile ?? null,
            useAgent: jumpAuth.useAgent,
            passwordSealed: seal(jumpAuth.password),
            passphraseSealed: seal(jumpAuth.passphrase),
          }
        : null,
      labels: machine.labels,
      state: kept.state,
      createdAt: kept.createdAt,
      underlayMtu: kept.underlayMtu,
    };
  }

  private missing(name: string): SpanwiseError {
    return new SpanwiseError('MACHINE_NOT_FOUND', `no machine named '${name}' in the current cluster`, "list machines with 'spanwise node list'");
  }
}

const invalid = (message: string, hint: string) => new SpanwiseError('INVALID_MACHINE', message, hint);

/** The contract's schema, then what it cannot see: key files that exist, and some way to sign in. */
function checkMachine(input: MachineInput): CheckedMachine {
  const parsed = machineInputSchema.safeParse(input);
  if (!parsed.success) throw invalid(describeIssues(parsed.error), 'correct the named fields and try again');
  const machine = parsed.data;
  for (const [field, auth] of [
    ['auth', machine.auth],
    ['jumpAuth', machine.jumpAuth],
  ] as const) {
    if (!auth) continue;
    if (auth.identityFile && !existsSync(auth.identityFile))
      throw invalid(`${field}.identityFile: ${auth.identityFile} does not exist`, 'give the path of an existing private key file');
    if (!auth.identityFile && !auth.password && !auth.useAgent)
      throw invalid(`${field}: no key file, password or SSH agent given`, 'give a key file, a password, or use the SSH agent');
  }
  return machine;
}

function credentialsOf(machine: MachineInput): MachineCredentials {
  const { auth = { useAgent: false }, jumpAuth } = machine;
  const password = auth.password ?? null;
  return {
    identityFile: auth.identityFile ?? null,
    passphrase: auth.passphrase ?? null,
    password,
    sudoPassword: auth.sudoPassword ?? password,
    useAgent: auth.useAgent ?? false,
    jump: jumpAuth
      ? {
          identityFile: jumpAuth.identityFile ?? null,
          passphrase: jumpAuth.passphrase ?? null,
          password: jumpAuth.password ?? null,
          useAgent: jumpAuth.useAgent ?? false,
        }
      : null,
  };
}

function summary(row: MachineRow): MachineSummary {
  const jump = row.jumpAuth;
  return {
    name: row.name,
    site: row.site,
    role: row.role,
    ssh: row.ssh,
    jump: row.jump,
    identityFile: row.identityFile,
    hasPassword: row.passwordSealed !== null,
    hasSudoPassword: row.sudoPasswordSealed !== null,
    useAgent: row.useAgent,
    jumpAuth: jump ? { identityFile: jump.identityFile, hasPassword: jump.passwordSealed !== null, useAgent: jump.useAgent } : null,
    labels: row.labels,
    state: row.state,
    createdAt: row.createdAt,
  };
}

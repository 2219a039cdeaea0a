import { existsSync } from 'node:fs';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import { machineInputSchema, type MachineInput, type MachineSummary } from '../../contract/machines.js';
import { describeIssues } from '../../../agent/shared/validation.js';
import type { ClusterService } from '../clusters/cluster-service.js';
import type { DomainEvents } from '../domain-events.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { MachineRow, MachineStore } from '../store/machines.js';

/** Decrypted credentials of one machine, for the SSH provisioner only. */
export interface MachineCredentials {
  identityFile: string | null;
  passphrase: string | null;
  password: string | null;
  sudoPassword: string | null;
  useAgent: boolean;
}

/** Adds, lists and deletes the machines of the current cluster. */
export class MachineService {
  constructor(
    private readonly store: MachineStore,
    private readonly clusters: ClusterService,
    private readonly secrets: SecretBox,
    private readonly inventory: DomainEvents,
  ) {}

  list(): MachineSummary[] {
    return this.store.list(this.clusters.current().name).map(summary);
  }

  add(input: MachineInput): MachineSummary {
    const parsed = machineInputSchema.safeParse(input);
    if (!parsed.success) throw new SpanwiseError('INVALID_MACHINE', describeIssues(parsed.error), 'correct the named fields and try again');
    const machine = parsed.data;
    const cluster = this.clusters.current().name;
    if (this.store.get(cluster, machine.name))
      throw new SpanwiseError(
        'MACHINE_EXISTS',
        `a machine named '${machine.name}' already exists in ${cluster}`,
        'choose another name, or remove the existing machine',
      );
    const { auth } = machine;
    if (auth.identityFile && !existsSync(auth.identityFile))
      throw new SpanwiseError('INVALID_MACHINE', `auth.identityFile: ${auth.identityFile} does not exist`, 'give the path of an existing private key file');
    if (!auth.identityFile && !auth.password && !auth.useAgent)
      throw new SpanwiseError('INVALID_MACHINE', 'auth: no key file, password or SSH agent given', 'give a key file, a password, or use the SSH agent');
    const seal = (value: string | undefined) => (value ? this.secrets.seal(value) : null);
    const row: MachineRow = {
      cluster,
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
      labels: machine.labels,
      state: 'added',
      createdAt: new Date().toISOString(),
      underlayMtu: null,
    };
    this.store.insert(row);
    this.inventory.emit({ kind: 'machine-added', cluster, machine: row.name });
    return summary(row);
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
    const open = (sealed: Buffer | null) => (sealed ? this.secrets.open(sealed) : null);
    const password = open(row.passwordSealed);
    return {
      identityFile: row.identityFile,
      passphrase: open(row.passphraseSealed),
      password,
      sudoPassword: open(row.sudoPasswordSealed) ?? password,
      useAgent: row.useAgent,
    };
  }

  private missing(name: string): SpanwiseError {
    return new SpanwiseError('MACHINE_NOT_FOUND', `no machine named '${name}' in the current cluster`, "list machines with 'spanwise status'");
  }
}

function summary(row: MachineRow): MachineSummary {
  return {
    name: row.name,
    site: row.site,
    role: row.role,
    ssh: row.ssh,
    jump: row.jump,
    identityFile: row.identityFile,
    hasPassword: row.passwordSealed !== null,
    hasSudoPassword: row.sudoPasswordSealed !== null,
    labels: row.labels,
    state: row.state,
    createdAt: row.createdAt,
  };
}

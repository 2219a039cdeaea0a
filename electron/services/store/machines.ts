import type { MachineRole, MachineState, SiteKind, SshTarget } from '../../contract/machines.js';
import { blob, type Db } from './database.js';

/** A stored machine row; sealed fields are encrypted by the SecretBox. */
export interface MachineRow {
  cluster: string;
  name: string;
  site: SiteKind;
  role: MachineRole;
  ssh: SshTarget;
  jump: SshTarget[];
  identityFile: string | null;
  useAgent: boolean;
  passwordSealed: Buffer | null;
  passphraseSealed: Buffer | null;
  sudoPasswordSealed: Buffer | null;
  labels: Record<string, string>;
  state: MachineState;
  createdAt: string;
  /** The jump hosts' own sign-in (null: they use the machine's); its secrets are sealed like the machine's. */
  jumpAuth: { identityFile: string | null; useAgent: boolean; passwordSealed: Buffer | null; passphraseSealed: Buffer | null } | null;
  /** MTU of the default-route link, from the last pre-flight. */
  underlayMtu: number | null;
  /** How onboarding last installed the agent (null: not yet, or before this was recorded). */
  installMethod?: 'package' | 'files' | null;
}

interface RawMachineRow {
  cluster: string;
  name: string;
  site: SiteKind;
  role: MachineRole;
  ssh_user: string;
  ssh_host: string;
  ssh_port: number;
  jump: string;
  identity_file: string | null;
  use_agent: number;
  password_sealed: Uint8Array | null;
  passphrase_sealed: Uint8Array | null;
  sudo_password_sealed: Uint8Array | null;
  labels: string;
  state: MachineState;
  created_at: string;
  underlay_mtu: number | null;
  install_method: string | null;
  jump_auth: string | null;
  jump_password_sealed: Uint8Array | null;
  jump_passphrase_sealed: Uint8Array | null;
}

const jumpAuthOf = (row: RawMachineRow): MachineRow['jumpAuth'] => {
  if (row.jump_auth === null) return null;
  const { identityFile, useAgent } = JSON.parse(row.jump_auth) as { identityFile: string | null; useAgent: boolean };
  return { identityFile, useAgent, passwordSealed: blob(row.jump_password_sealed), passphraseSealed: blob(row.jump_passphrase_sealed) };
};

const fromRaw = (row: RawMachineRow): MachineRow => ({
  cluster: row.cluster,
  name: row.name,
  site: row.site,
  role: row.role,
  ssh: { user: row.ssh_user, host: row.ssh_host, port: row.ssh_port },
  jump: JSON.parse(row.jump) as SshTarget[],
  identityFile: row.identity_file,
  useAgent: row.use_agent === 1,
  passwordSealed: blob(row.password_sealed),
  passphraseSealed: blob(row.passphrase_sealed),
  sudoPasswordSealed: blob(row.sudo_password_sealed),
  labels: JSON.parse(row.labels) as Record<string, string>,
  state: row.state,
  createdAt: row.created_at,
  jumpAuth: jumpAuthOf(row),
  underlayMtu: row.underlay_mtu,
  installMethod: row.install_method === 'package' || row.install_method === 'files' ? row.install_method : null,
});

const editable = [
  'site',
  'role',
  'ssh_user',
  'ssh_host',
  'ssh_port',
  'jump',
  'identity_file',
  'use_agent',
  'password_sealed',
  'passphrase_sealed',
  'sudo_password_sealed',
  'labels',
  'jump_auth',
  'jump_password_sealed',
  'jump_passphrase_sealed',
];

const editableValues = (row: MachineRow) => [
  row.site,
  row.role,
  row.ssh.user,
  row.ssh.host,
  row.ssh.port,
  JSON.stringify(row.jump),
  row.identityFile,
  row.useAgent ? 1 : 0,
  row.passwordSealed,
  row.passphraseSealed,
  row.sudoPasswordSealed,
  JSON.stringify(row.labels),
  row.jumpAuth && JSON.stringify({ identityFile: row.jumpAuth.identityFile, useAgent: row.jumpAuth.useAgent }),
  row.jumpAuth?.passwordSealed ?? null,
  row.jumpAuth?.passphraseSealed ?? null,
];

/** Machines of every cluster. */
export class MachineStore {
  constructor(private readonly db: Db) {}

  list(cluster: string): MachineRow[] {
    return (this.db.prepare('SELECT * FROM machines WHERE cluster = ? ORDER BY created_at, name').all(cluster) as unknown as RawMachineRow[]).map(fromRaw);
  }

  get(cluster: string, name: string): MachineRow | undefined {
    const row = this.db.prepare('SELECT * FROM machines WHERE cluster = ? AND name = ?').get(cluster, name) as RawMachineRow | undefined;
    return row && fromRaw(row);
  }

  insert(row: MachineRow): void {
    this.db
      .prepare(
        `INSERT INTO machines (cluster, name, state, created_at, ${editable.join(', ')})
         VALUES (?, ?, ?, ?, ${editable.map(() => '?').join(', ')})`,
      )
      .run(row.cluster, row.name, row.state, row.createdAt, ...editableValues(row));
  }

  /** Stores what an edit may change (sign-in, route, site, role, labels); the state and history stay. */
  update(row: MachineRow): void {
    this.db
      .prepare(`UPDATE machines SET ${editable.map((column) => `${column} = ?`).join(', ')} WHERE cluster = ? AND name = ?`)
      .run(...editableValues(row), row.cluster, row.name);
  }

  setState(cluster: string, name: string, state: MachineState): void {
    this.db.prepare('UPDATE machines SET state = ? WHERE cluster = ? AND name = ?').run(state, cluster, name);
  }

  setUnderlayMtu(cluster: string, name: string, mtu: number): void {
    this.db.prepare('UPDATE machines SET underlay_mtu = ? WHERE cluster = ? AND name = ?').run(mtu, cluster, name);
  }

  setInstallMethod(cluster: string, name: string, method: 'package' | 'files'): void {
    this.db.prepare('UPDATE machines SET install_method = ? WHERE cluster = ? AND name = ?').run(method, cluster, name);
  }

  delete(cluster: string, name: string): boolean {
    return this.db.prepare('DELETE FROM machines WHERE cluster = ? AND name = ?').run(cluster, name).changes > 0;
  }
}

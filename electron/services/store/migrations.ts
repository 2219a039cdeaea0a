/**
 * The inventory schema, as an append-only list of migrations; the database's
 * `user_version` is the number applied. Never edit a shipped migration.
 */
export const migrations: string[] = [
  `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE clusters (
     name TEXT PRIMARY KEY,
     cluster_id TEXT NOT NULL UNIQUE,
     secret_sealed BLOB NOT NULL,
     ca_cert TEXT NOT NULL,
     ca_key_sealed BLOB NOT NULL,
     discovery TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE machines (
     cluster TEXT NOT NULL REFERENCES clusters(name) ON DELETE CASCADE,
     name TEXT NOT NULL,
     site TEXT NOT NULL CHECK (site IN ('edge', 'datacenter', 'cloud')),
     role TEXT NOT NULL CHECK (role IN ('controlplane', 'worker')),
     ssh_user TEXT NOT NULL,
     ssh_host TEXT NOT NULL,
     ssh_port INTEGER NOT NULL,
     jump TEXT NOT NULL DEFAULT '[]',
     identity_file TEXT,
     use_agent INTEGER NOT NULL DEFAULT 0,
     password_sealed BLOB,
     passphrase_sealed BLOB,
     sudo_password_sealed BLOB,
     labels TEXT NOT NULL DEFAULT '{}',
     state TEXT NOT NULL DEFAULT 'added',
     created_at TEXT NOT NULL,
     PRIMARY KEY (cluster, name)
   );
   CREATE TABLE host_keys (
     host TEXT NOT NULL,
     port INTEGER NOT NULL,
     algorithm TEXT NOT NULL,
     fingerprint TEXT NOT NULL,
     trusted_at TEXT NOT NULL,
     PRIMARY KEY (host, port)
   );
   CREATE TABLE onboarding_runs (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     cluster TEXT NOT NULL,
     machine TEXT NOT NULL,
     state TEXT NOT NULL,
     failed_step TEXT,
     error TEXT,
     started_at TEXT NOT NULL,
     finished_at TEXT,
     FOREIGN KEY (cluster, machine) REFERENCES machines(cluster, name) ON DELETE CASCADE
   );
   CREATE TABLE onboarding_steps (
     run_id INTEGER NOT NULL REFERENCES onboarding_runs(id) ON DELETE CASCADE,
     step TEXT NOT NULL,
     state TEXT NOT NULL,
     percent INTEGER NOT NULL DEFAULT 0,
     log TEXT NOT NULL DEFAULT '',
     started_at TEXT,
     finished_at TEXT,
     PRIMARY KEY (run_id, step)
   );`,
  `CREATE TABLE mesh_samples (
     cluster TEXT NOT NULL,
     from_node TEXT NOT NULL,
     to_node TEXT NOT NULL,
     at INTEGER NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('up', 'down', 'unknown')),
     rx_rate REAL NOT NULL,
     tx_rate REAL NOT NULL,
     rtt_ms REAL
   );
   CREATE INDEX mesh_samples_pair ON mesh_samples (cluster, from_node, to_node, at);
   CREATE INDEX mesh_samples_at ON mesh_samples (at);
   CREATE TABLE diagnosis_reports (
     cluster TEXT PRIMARY KEY REFERENCES clusters(name) ON DELETE CASCADE,
     report TEXT NOT NULL,
     generated_at TEXT NOT NULL
   );`,
  `ALTER TABLE clusters ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
   ALTER TABLE machines ADD COLUMN underlay_mtu INTEGER;`,
  `CREATE TABLE host_keys_by_route (
     via TEXT NOT NULL,
     host TEXT NOT NULL,
     port INTEGER NOT NULL,
     algorithm TEXT NOT NULL,
     fingerprint TEXT NOT NULL,
     trusted_at TEXT NOT NULL,
     PRIMARY KEY (via, host, port)
   );
   INSERT INTO host_keys_by_route SELECT '', host, port, algorithm, fingerprint, trusted_at FROM host_keys;
   DROP TABLE host_keys;
   ALTER TABLE host_keys_by_route RENAME TO host_keys;`,
  `ALTER TABLE machines ADD COLUMN install_method TEXT;`,
  `ALTER TABLE machines ADD COLUMN jump_auth TEXT;
   ALTER TABLE machines ADD COLUMN jump_password_sealed BLOB;
   ALTER TABLE machines ADD COLUMN jump_passphrase_sealed BLOB;`,
  `ALTER TABLE onboarding_runs ADD COLUMN owner_pid INTEGER;`,
  `CREATE TABLE mesh_samples_next (
     cluster TEXT NOT NULL,
     from_node TEXT NOT NULL,
     to_node TEXT NOT NULL,
     at INTEGER NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('up', 'down', 'unknown', 'relayed')),
     rx_rate REAL NOT NULL,
     tx_rate REAL NOT NULL,
     rtt_ms REAL
   );
   INSERT INTO mesh_samples_next SELECT cluster, from_node, to_node, at, state, rx_rate, tx_rate, rtt_ms FROM mesh_samples;
   DROP TABLE mesh_samples;
   ALTER TABLE mesh_samples_next RENAME TO mesh_samples;
   CREATE INDEX mesh_samples_pair ON mesh_samples (cluster, from_node, to_node, at);
   CREATE INDEX mesh_samples_at ON mesh_samples (at);`,
  `ALTER TABLE onboarding_runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'onboard';`,
];

import { randomBytes } from 'node:crypto';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import { createCa, type KeyPairPem } from '../../../agent/shared/pki.js';
import type { ClusterSummary, DiscoveryPlacement } from '../../contract/clusters.js';
import { clusterSettingsSchema, type ClusterSettings } from '../../contract/settings.js';
import type { DomainEvents } from '../domain-events.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { ClusterRow, ClusterStore } from '../store/clusters.js';

/** The secrets of a cluster, decrypted for the services that need them (never for the UI). */
export interface ClusterSecrets {
  clusterId: string;
  /** 32 bytes, base64: the KubeSpan PSK and the discovery payload key. */
  secret: string;
  ca: KeyPairPem;
}

/** The identity and settings of a cluster made elsewhere (a Talos cluster), checked before they get here. */
export interface ImportedCluster {
  clusterId: string;
  /** 32 bytes, base64. */
  secret: string;
  settings: ClusterSettings;
}

/** Creates, lists, selects and deletes clusters. */
export class ClusterService {
  constructor(
    private readonly store: ClusterStore,
    private readonly secrets: SecretBox,
    private readonly inventory: DomainEvents,
  ) {}

  list(): ClusterSummary[] {
    const current = this.currentName();
    return this.store.list().map((row) => this.summary(row, current));
  }

  /** Creates and selects a cluster; `imported` gives it an existing (Talos) cluster's id, secret and mesh settings instead of new ones. */
  async create(name: string, discovery: DiscoveryPlacement, imported?: ImportedCluster): Promise<ClusterSummary> {
    if (this.store.get(name))
      throw new SpanwiseError('CLUSTER_EXISTS', `a cluster named '${name}' already exists`, 'choose another name, or delete the existing cluster first');
    const ca = await createCa(`spanwise ${name} agent CA`);
    const row: ClusterRow = {
      name,
      clusterId: imported?.clusterId ?? randomBytes(32).toString('base64url') + '=',
      secretSealed: this.secrets.seal(imported?.secret ?? randomBytes(32).toString('base64')),
      caCert: ca.certPem,
      caKeySealed: this.secrets.seal(ca.keyPem),
      discovery,
      createdAt: new Date().toISOString(),
    };
    this.store.insert(row);
    if (imported) this.store.setSettings(name, imported.settings);
    this.store.setCurrent(name);
    this.inventory.emit({ kind: 'cluster-created', cluster: name });
    this.inventory.emit({ kind: 'cluster-selected', cluster: name });
    return this.summary(row, name);
  }

  select(name: string): ClusterSummary {
    const row = this.require(name);
    this.store.setCurrent(name);
    this.inventory.emit({ kind: 'cluster-selected', cluster: name });
    return this.summary(row, name);
  }

  delete(name: string): void {
    if (!this.store.delete(name)) throw this.missing(name);
    const wasCurrent = this.store.currentName() === name;
    if (wasCurrent) this.store.setCurrent(this.store.list()[0]?.name ?? null);
    this.inventory.emit({ kind: 'cluster-deleted', cluster: name });
    if (wasCurrent) this.inventory.emit({ kind: 'cluster-selected', cluster: this.currentName() ?? null });
  }

  /** The current cluster: the selected one, or the only one. */
  /** One cluster by name; NOT_FOUND-style error naming it when missing. */
  get(name: string): ClusterRow {
    return this.require(name);
  }

  current(): ClusterRow {
    const name = this.currentName();
    if (!name) throw new SpanwiseError('NO_CLUSTER', 'no cluster selected', "create one with 'spanwise cluster create NAME' or pick one in Clusters");
    return this.require(name);
  }

  secretsOf(name: string): ClusterSecrets {
    const row = this.require(name);
    return { clusterId: row.clusterId, secret: this.secrets.open(row.secretSealed), ca: { certPem: row.caCert, keyPem: this.secrets.open(row.caKeySealed) } };
  }

  /** The cluster's mesh settings, defaults filled in. */
  settings(name: string): ClusterSettings {
    this.require(name);
    return clusterSettingsSchema.parse(this.store.settings(name));
  }

  saveSettings(name: string, settings: ClusterSettings): void {
    this.require(name);
    this.store.setSettings(name, settings);
  }

  /** Replaces the agent API CA; agents must get new certificates afterwards. */
  async rekeyCa(name: string): Promise<ClusterSummary> {
    this.require(name);
    const ca = await createCa(`spanwise ${name} agent CA`);
    this.store.updateCa(name, ca.certPem, this.secrets.seal(ca.keyPem));
    return this.summary(this.require(name), this.currentName());
  }

  private currentName(): string | undefined {
    const selected = this.store.currentName();
    if (selected && this.store.get(selected)) return selected;
    const all = this.store.list();
    return all.length === 1 ? all[0]?.name : undefined;
  }

  private require(name: string): ClusterRow {
    const row = this.store.get(name);
    if (!row) throw this.missing(name);
    return row;
  }

  private missing(name: string): SpanwiseError {
    return new SpanwiseError('CLUSTER_NOT_FOUND', `no cluster named '${name}'`, "list clusters with 'spanwise cluster list'");
  }

  private summary(row: ClusterRow, current: string | undefined): ClusterSummary {
    return {
      name: row.name,
      clusterId: row.clusterId,
      discovery: row.discovery,
      caCertificate: row.caCert,
      createdAt: row.createdAt,
      machineCount: this.store.machineCount(row.name),
      current: row.name === current,
    };
  }
}

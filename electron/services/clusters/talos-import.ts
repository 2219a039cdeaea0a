import { LineCounter, parseAllDocuments } from 'yaml';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import type { TalosImport } from '../../contract/clusters.js';
import { discoveryUrlSchema } from '../../contract/fields.js';
import { clusterSettingsSchema, type ClusterSettings } from '../../contract/settings.js';

/** Where Talos nodes find discovery when their config names no endpoint. */
export const TALOS_DEFAULT_DISCOVERY = 'https://discovery.talos.dev/';

/** What a Talos `secrets.yaml` or machine config says about the mesh. Holds the secret: never log it. */
export interface TalosCluster {
  clusterId: string;
  secret: string;
  discoveryUrl: string;
  settings: ClusterSettings;
  source: TalosImport['source'];
  warnings: string[];
}

type Mapping = Record<string, unknown>;

const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);
const at = (value: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (isMapping(v) ? v[k] : undefined), value);

const FIX = 'pass the secrets.yaml from talosctl gen secrets, or a machine config';

function refuse(message: string, hint = 'nothing was created; correct the file and try again'): SpanwiseError {
  return new SpanwiseError('INVALID_TALOS_CONFIG', message, hint);
}

/** The documents as plain data; a YAML error is named by line and kind, never quoted (the file holds the secret). */
function documentsOf(text: string): unknown[] {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { prettyErrors: false, lineCounter: lines });
  return documents.map((doc) => {
    const [error] = doc.errors;
    if (error) {
      const { line, col } = lines.linePos(error.pos[0]);
      throw refuse(`the file is not valid YAML (line ${line}, column ${col}: ${error.code})`, FIX);
    }
    try {
      return doc.toJS({ maxAliasCount: 100 });
    } catch {
      throw refuse('the file expands too many YAML aliases', FIX);
    }
  });
}

function identityOf(cluster: unknown): { clusterId: string; secret: string } {
  const id = at(cluster, 'id');
  const secret = at(cluster, 'secret');
  if (id === undefined || id === null || id === '') throw refuse(`cluster.id is missing: ${FIX}`);
  if (typeof id !== 'string' || !/^[\x21-\x7e]{1,256}$/.test(id)) throw refuse('cluster.id must be 1 to 256 printable characters without spaces', FIX);
  if (secret === undefined || secret === null || secret === '') throw refuse(`cluster.secret is missing: ${FIX}`);
  if (typeof secret !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(secret.trim()))
    throw refuse('cluster.secret is not base64 text: it must be the 32 random bytes, base64, that Talos generated', FIX);
  const bytes = Buffer.from(secret.trim(), 'base64').length;
  if (bytes !== 32) throw refuse(`cluster.secret decodes to ${bytes} bytes, not 32: pass the cluster's own secret, unchanged`, FIX);
  return { clusterId: id, secret: secret.trim() };
}

/** Cluster settings fields back to the Talos names people see in their file. */
const talosField: Record<string, string> = {
  mtu: 'mtu',
  allowDownPeerBypass: 'allowDownPeerBypass',
  advertiseKubernetesNetworks: 'advertiseKubernetesNetworks',
  harvestExtraEndpoints: 'harvestExtraEndpoints',
  endpointFilters: 'filters.endpoints',
  excludeAdvertisedNetworks: 'filters.excludeAdvertisedNetworks',
};

function settingsOf(kubespan: unknown): ClusterSettings {
  const given = {
    mtu: at(kubespan, 'mtu'),
    allowDownPeerBypass: at(kubespan, 'allowDownPeerBypass'),
    advertiseKubernetesNetworks: at(kubespan, 'advertiseKubernetesNetworks'),
    harvestExtraEndpoints: at(kubespan, 'harvestExtraEndpoints'),
    endpointFilters: at(kubespan, 'filters', 'endpoints'),
    excludeAdvertisedNetworks: at(kubespan, 'filters', 'excludeAdvertisedNetworks'),
  };
  const parsed = clusterSettingsSchema.safeParse(Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined && v !== null)));
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues
    .map((issue) => {
      const [field, ...rest] = issue.path.map(String);
      return `machine.network.kubespan.${talosField[field ?? ''] ?? field}${rest.length ? `[${rest.join('.')}]` : ''}: ${issue.message}`;
    })
    .join('; ');
  throw refuse(message, 'correct the KubeSpan settings in the file; nothing was created');
}

/** The service registry's endpoint: a DiscoveryServiceConfig document's (newer Talos) before `cluster.discovery`'s. */
function discoveryOf(documents: unknown[], config: unknown, warnings: string[]): string {
  const discovery = at(config, 'cluster', 'discovery');
  const service = documents.find((doc) => at(doc, 'kind') === 'DiscoveryServiceConfig');
  if (at(discovery, 'enabled') === false)
    warnings.push('cluster.discovery.enabled is false: the Talos nodes of this config publish nothing, so the mesh cannot find them');
  if (at(discovery, 'registries', 'service', 'disabled') === true)
    warnings.push('cluster.discovery.registries.service.disabled is true: the Talos nodes of this config do not use the discovery service Spanwise nodes use');
  const field = service ? 'DiscoveryServiceConfig endpoint' : 'cluster.discovery.registries.service.endpoint';
  const endpoint = service ? at(service, 'endpoint') : at(discovery, 'registries', 'service', 'endpoint');
  if (endpoint === undefined || endpoint === null || endpoint === '') return TALOS_DEFAULT_DISCOVERY;
  const parsed = discoveryUrlSchema.safeParse(endpoint);
  if (!parsed.success) throw refuse(`${field}: ${parsed.error.issues[0]?.message ?? 'is not a discovery URL'}`);
  return parsed.data;
}

/**
 * Reads a Talos `secrets.yaml` (`cluster: {id, secret}`) or a machine config (controlplane,
 * worker or init; of the other documents of a multi-document file, only a DiscoveryServiceConfig is read). Anything missing or
 * malformed is an `INVALID_TALOS_CONFIG` naming the field and the fix, never quoting the file.
 */
export function readTalosCluster(text: string): TalosCluster {
  const documents = documentsOf(text);
  const config = documents.find((doc) => isMapping(doc) && 'cluster' in doc);
  if (!config) throw refuse(`cluster is missing (no 'cluster:' section with id and secret): ${FIX}`);
  const identity = identityOf(at(config, 'cluster'));
  const machineType = at(config, 'machine', 'type');
  if (!isMapping(at(config, 'machine')))
    return { ...identity, discoveryUrl: TALOS_DEFAULT_DISCOVERY, settings: clusterSettingsSchema.parse({}), source: 'secrets', warnings: [] };
  if (machineType !== 'controlplane' && machineType !== 'worker' && machineType !== 'init')
    throw refuse('machine.type must be controlplane, worker or init: pass a machine config made by talosctl gen config, or the secrets.yaml');
  const source = machineType;
  const warnings: string[] = [];
  const kubespan = at(config, 'machine', 'network', 'kubespan');
  if (at(kubespan, 'enabled') !== true)
    warnings.push('machine.network.kubespan.enabled is not true in this config: its Talos nodes stay out of the mesh until it is');
  const discoveryUrl = discoveryOf(documents, config, warnings);
  return { ...identity, discoveryUrl, settings: settingsOf(kubespan), source, warnings };
}

import { parseDiscoveryUrl } from '../../../agent/shared/discovery-target.js';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import type { DiscoveryPlacement, TalosImport, TalosPatch } from '../../contract/clusters.js';
import { resolveDiscovery } from '../onboarding/discovery-placement.js';
import type { MachineRow, MachineStore } from '../store/machines.js';
import type { ClusterService } from './cluster-service.js';
import { readTalosCluster } from './talos-import.js';
import { talosPatchYaml } from './talos-patch.js';

/** The discovery endpoint as Talos spells it: a scheme always, the port unless it is https's 443. */
function talosEndpoint(url: string): string {
  const { endpoint, insecure } = parseDiscoveryUrl(url);
  return insecure ? `http://${endpoint}/` : `https://${endpoint.replace(/:443$/, '')}/`;
}

/**
 * Where Talos nodes reach the cluster's discovery, and whether it presents a certificate of the cluster CA.
 * Embedded discovery learns its address per node over SSH; a Talos node needs the fixed one.
 */
function talosDiscovery(placement: DiscoveryPlacement, machines: MachineRow[], cluster: string): { endpoint: string; tls: boolean } {
  if (placement.mode !== 'embedded') {
    const { url, tls } = resolveDiscovery(placement, machines);
    return { endpoint: talosEndpoint(url), tls };
  }
  if (!placement.address) {
    throw new SpanwiseError(
      'TALOS_DISCOVERY_ADDRESS',
      `cluster '${cluster}' serves discovery from this desktop at an address learned per node over SSH, which Talos nodes cannot do`,
      'create the cluster with --discovery-embedded --discovery-address HOST (the address Talos nodes reach this machine at)',
    );
  }
  const host = placement.address.includes(':') ? `[${placement.address}]` : placement.address;
  return { endpoint: `http://${host}:${placement.port}/`, tls: false };
}

/** Mixed clusters with Talos: the machine config patch that joins Talos nodes, and clusters made from a Talos cluster's files. */
export class TalosService {
  constructor(private readonly deps: { clusters: ClusterService; machineStore: MachineStore }) {}

  /** The patch for a cluster (the current one without a name); the secret only when asked for. */
  patch(name: string | undefined, showSecrets: boolean): TalosPatch {
    const cluster = name ? this.deps.clusters.get(name) : this.deps.clusters.current();
    const settings = this.deps.clusters.settings(cluster.name);
    const secrets = this.deps.clusters.secretsOf(cluster.name);
    const discovery = talosDiscovery(cluster.discovery, this.deps.machineStore.list(cluster.name), cluster.name);
    const trustedCa = discovery.tls ? secrets.ca.certPem : null;
    const warnings = settings.extraDiscoveryEndpoints.length
      ? [`Talos takes one discovery endpoint: the extra discovery URLs (${settings.extraDiscoveryEndpoints.join(', ')}) are not in the patch`]
      : [];
    const patch = talosPatchYaml({
      cluster: cluster.name,
      clusterId: cluster.clusterId,
      secret: showSecrets ? secrets.secret : null,
      discoveryEndpoint: discovery.endpoint,
      trustedCa,
      settings,
    });
    return { cluster: cluster.name, discoveryEndpoint: discovery.endpoint, trustedRoots: trustedCa !== null, secretShown: showSecrets, patch, warnings };
  }

  /** Creates and selects a cluster with a Talos cluster's id, secret, discovery and KubeSpan settings; nothing is stored when the file is refused. */
  async createFrom(name: string, config: string): Promise<TalosImport> {
    const talos = readTalosCluster(config);
    const same = this.deps.clusters.list().find((c) => c.clusterId === talos.clusterId);
    if (same) {
      throw new SpanwiseError(
        'CLUSTER_EXISTS',
        `cluster '${same.name}' already has this cluster id`,
        `use it ('spanwise cluster use ${same.name}'), or delete it first to import the file again`,
      );
    }
    const cluster = await this.deps.clusters.create(name, { mode: 'url', url: talos.discoveryUrl }, talos);
    return { cluster, source: talos.source, settings: talos.settings, warnings: talos.warnings };
  }
}

import { Document } from 'yaml';
import type { ClusterSettings } from '../../contract/settings.js';

/** What goes into `cluster.secret` when the secret is not asked for. */
export const SECRET_PLACEHOLDER = '<hidden: see the comment above>';

/** What a Talos patch is made of: the cluster's identity, its discovery as Talos nodes reach it, and its mesh settings. */
export interface TalosPatchInput {
  cluster: string;
  clusterId: string;
  /** The real secret, or null to write the placeholder. */
  secret: string | null;
  /** `https://host[:port]/` or `http://host:port/`. */
  discoveryEndpoint: string;
  /** PEM of the CA that signed the discovery certificate, when it is the cluster's own. */
  trustedCa: string | null;
  settings: ClusterSettings;
}

/** `machine.network.kubespan` as Talos spells it; empty filter lists are left out (Talos merges lists by appending). */
function kubespanOf(settings: ClusterSettings): Record<string, unknown> {
  const filters = {
    ...(settings.endpointFilters.length ? { endpoints: settings.endpointFilters } : {}),
    ...(settings.excludeAdvertisedNetworks.length ? { excludeAdvertisedNetworks: settings.excludeAdvertisedNetworks } : {}),
  };
  return {
    enabled: true,
    advertiseKubernetesNetworks: settings.advertiseKubernetesNetworks,
    allowDownPeerBypass: settings.allowDownPeerBypass,
    harvestExtraEndpoints: settings.harvestExtraEndpoints,
    mtu: settings.mtu,
    ...(Object.keys(filters).length ? { filters } : {}),
  };
}

/**
 * The patch as multi-document YAML: the v1alpha1 machine config part (cluster id, secret,
 * discovery through the service registry only, KubeSpan), then a TrustedRootsConfig with
 * the cluster CA when discovery presents a certificate of that CA.
 */
export function talosPatchYaml(input: TalosPatchInput): string {
  const main = new Document({
    machine: { network: { kubespan: kubespanOf(input.settings) } },
    cluster: {
      id: input.clusterId,
      secret: input.secret ?? SECRET_PLACEHOLDER,
      discovery: {
        enabled: true,
        registries: { kubernetes: { disabled: true }, service: { endpoint: input.discoveryEndpoint } },
      },
    },
  });
  main.commentBefore =
    input.secret === null
      ? ` Joins Talos nodes to the Spanwise cluster ${input.cluster}.\n cluster.secret is a placeholder: run 'spanwise cluster talos-patch ${input.cluster} -o spanwise-patch.yaml'\n to write the real one to a 0600 file, or add --show-secrets to print it.`
      : ` Joins Talos nodes to the Spanwise cluster ${input.cluster}. Holds the cluster secret: keep this file private.`;
  const documents = [main.toString()];
  if (input.trustedCa) {
    const roots = new Document({
      apiVersion: 'v1alpha1',
      kind: 'TrustedRootsConfig',
      name: `spanwise-${input.cluster}-ca`,
      certificates: `${input.trustedCa.trim()}\n`,
    });
    roots.commentBefore = ' The CA that signed the discovery service certificate (Talos 1.7 or newer).';
    documents.push(roots.toString());
  }
  return documents.join('---\n');
}

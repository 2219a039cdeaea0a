import type { AgentConfig } from '../config/schema.js';
import { MAX_UNREACHABLE, relayKeyPrefix, type SpanwiseInfo } from '../shared/affiliate-crypto.js';
import { formatIp, parsePrefix } from '../shared/ip.js';
import { nodeAddresses } from '../lib/node-addresses.js';
import { VERSION } from '../shared/version.js';
import { EndpointKind, HostNetworkKind, IdentityKind, LocalAffiliateKind, RelayReachKind, type RelayReach } from '../resources/kinds.js';
import { exclusive } from './access.js';
import type { Controller } from './runtime.js';

/**
 * Builds what this node publishes (LocalAffiliate "local"): node id, addresses, names, and the
 * KubeSpan part: public key, ULA, pod CIDRs when advertising Kubernetes networks, and
 * `filters.excludeAdvertisedNetworks`; plus the advertised endpoints in order. The OS is published
 * as Talos does (`Talos (v1.9.2)`): `Linux (Spanwise v0.1.0)`. In automatic relay mode the
 * Spanwise extension follows: the offer to relay, the site kind, and the peers of RelayReach
 * it cannot reach directly (key prefixes, the first MAX_UNREACHABLE in order).
 */
export function localAffiliateController(config: AgentConfig): Controller {
  return {
    name: 'local-affiliate',
    inputs: [IdentityKind, HostNetworkKind, EndpointKind, RelayReachKind],
    outputs: [exclusive(LocalAffiliateKind)],
    run({ store }) {
      const identity = store.get(IdentityKind, 'local')?.spec;
      const host = store.get(HostNetworkKind, 'host')?.spec;
      const subnet = identity && parsePrefix(identity.subnet);
      if (!identity || !host || !subnet) return;
      const endpoints = store
        .list(EndpointKind)
        .sort((a, b) => a.spec.order - b.spec.order)
        .map((e) => e.spec.address);
      store.upsert(LocalAffiliateKind, 'local', {
        id: identity.nodeId,
        endpoints,
        info: {
          nodeId: identity.nodeId,
          addresses: nodeAddresses(host.links, subnet).map(formatIp),
          hostname: identity.hostname,
          nodename: identity.hostname,
          machineType: config.node.machineType,
          operatingSystem: `Linux (Spanwise v${VERSION})`,
          kubespan: {
            publicKey: identity.publicKey,
            address: identity.address,
            additionalAddresses: config.advertiseKubernetesNetworks ? [...config.podCIDRs] : [],
            excludeAdvertisedAddresses: [...config.filters.excludeAdvertisedNetworks],
          },
          ...(config.relayMode === 'auto' ? { spanwise: relayExtension(config, store.get(RelayReachKind, 'local')?.spec) } : {}),
        },
      });
    },
  };
}

function relayExtension(config: AgentConfig, reach: RelayReach | undefined): SpanwiseInfo {
  const unreachable = [...new Set((reach?.unreachable ?? []).map(relayKeyPrefix))].sort().slice(0, MAX_UNREACHABLE);
  return { relayOffer: true, site: config.node.site ?? '', unreachable };
}

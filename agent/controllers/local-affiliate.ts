import type { AgentConfig } from '../config/schema.js';
import {
  MAX_AFFILIATE_DATA_BYTES,
  MAX_UNREACHABLE,
  relayKeyPrefix,
  sealedAffiliateBytes,
  type AffiliateInfo,
  type SpanwiseInfo,
} from '../shared/affiliate-crypto.js';
import { formatIp, parsePrefix } from '../shared/ip.js';
import { nodeAddresses } from '../lib/node-addresses.js';
import { VERSION } from '../shared/version.js';
import { HealthCode, reportHealth, type HealthReport } from '../resources/health.js';
import { EndpointKind, HealthKind, HostNetworkKind, IdentityKind, LocalAffiliateKind, RelayReachKind, type RelayReach } from '../resources/kinds.js';
import { exclusive, shared } from './access.js';
import type { Controller } from './runtime.js';

/**
 * Builds what this node publishes (LocalAffiliate "local"): node id, addresses, names, and the
 * KubeSpan part: public key, ULA, pod CIDRs when advertising Kubernetes networks, and
 * `filters.excludeAdvertisedNetworks`; plus the advertised endpoints in order. The OS is published
 * as Talos does (`Talos (v1.9.2)`): `Linux (Spanwise v0.1.0)`. In automatic relay mode the
 * Spanwise extension follows: the offer to relay, the site kind, and the peers of RelayReach
 * it cannot reach directly (key prefixes, the first MAX_UNREACHABLE in order), trimmed from the end
 * until the sealed payload fits MAX_AFFILIATE_DATA_BYTES; when even none fit, the extension is left
 * out, with a warning.
 */
export function localAffiliateController(config: AgentConfig): Controller {
  return {
    name: 'local-affiliate',
    inputs: [IdentityKind, HostNetworkKind, EndpointKind, RelayReachKind],
    outputs: [exclusive(LocalAffiliateKind), shared(HealthKind)],
    run({ store, clock }) {
      const identity = store.get(IdentityKind, 'local')?.spec;
      const host = store.get(HostNetworkKind, 'host')?.spec;
      const subnet = identity && parsePrefix(identity.subnet);
      if (!identity || !host || !subnet) return;
      const endpoints = store
        .list(EndpointKind)
        .sort((a, b) => a.spec.order - b.spec.order)
        .map((e) => e.spec.address);
      const info: AffiliateInfo = {
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
      };
      const spanwise = config.relayMode === 'auto' ? fitExtension(info, relayExtension(config, store.get(RelayReachKind, 'local')?.spec)) : undefined;
      store.upsert(LocalAffiliateKind, 'local', { id: identity.nodeId, endpoints, info: spanwise ? { ...info, spanwise } : info });
      const tooLarge = config.relayMode === 'auto' && !spanwise ? [tooLargeReport(sealedAffiliateBytes(info))] : [];
      reportHealth(store, [HealthCode.relayDataTooLarge], tooLarge, clock.now());
    },
  };
}

function relayExtension(config: AgentConfig, reach: RelayReach | undefined): SpanwiseInfo {
  const unreachable = [...new Set((reach?.unreachable ?? []).map(relayKeyPrefix))].sort().slice(0, MAX_UNREACHABLE);
  return { relayOffer: true, site: config.node.site ?? '', unreachable };
}

/** The extension with `unreachable` trimmed from the end until the sealed payload fits, or undefined when none fits. */
function fitExtension(info: AffiliateInfo, spanwise: SpanwiseInfo): SpanwiseInfo | undefined {
  for (let n = spanwise.unreachable.length; n >= 0; n -= 1) {
    const trimmed = { ...spanwise, unreachable: spanwise.unreachable.slice(0, n) };
    if (sealedAffiliateBytes({ ...info, spanwise: trimmed }) <= MAX_AFFILIATE_DATA_BYTES) return trimmed;
  }
  return undefined;
}

function tooLargeReport(bytes: number): HealthReport {
  return {
    code: HealthCode.relayDataTooLarge,
    severity: 'warning',
    text: `this node's affiliate data is ${bytes} bytes, too close to the discovery limit of ${MAX_AFFILIATE_DATA_BYTES} for the relay data; published without it, so it is neither relayed nor a relay automatically`,
    evidence: { bytes: String(bytes), limit: String(MAX_AFFILIATE_DATA_BYTES) },
  };
}

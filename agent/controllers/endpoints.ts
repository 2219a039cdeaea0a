import { EndpointSource, type Endpoint } from '../../proto/gen/spanwise/agent/v1/agent.js';
import type { AgentConfig } from '../config/schema.js';
import { applyEndpointFilters, parseEndpointFilter, type EndpointFilter } from '../lib/endpoint-filters.js';
import { compareIp, formatEndpoint, parseEndpoint, parseIp, parsePrefix, type IpAddr } from '../shared/ip.js';
import { nodeAddresses } from '../lib/node-addresses.js';
import { EndpointKind, HostNetworkKind, IdentityKind, ReflectedAddressKind } from '../resources/kinds.js';
import { KUBESPAN } from '../wireguard/types.js';
import { exclusive } from './access.js';
import type { Controller } from './runtime.js';

/** Inputs of the advertised endpoint list. */
export interface EndpointInputs {
  /** Node addresses, already in order (IPv4 first, numeric). */
  addresses: IpAddr[];
  /** Public IPs reflected by discovery services. */
  reflected: IpAddr[];
  filters: readonly EndpointFilter[];
  extra: readonly string[];
}

/**
 * The endpoints this node advertises, in dial order (facts): addresses, plus reflected IPs,
 * through `filters.endpoints`, each as ip:51820; then `extraAnnouncedEndpoints`, unfiltered, de-duplicated.
 */
export function computeAdvertisedEndpoints(inputs: EndpointInputs): Endpoint[] {
  const candidates = [...inputs.addresses];
  const reflectedSet = new Set<IpAddr>();
  for (const r of inputs.reflected) {
    const existing = candidates.find((c) => compareIp(c, r) === 0);
    if (existing) continue;
    candidates.push(r);
    reflectedSet.add(r);
  }
  const out: Endpoint[] = [];
  const seen = new Set<string>();
  const add = (address: string, source: EndpointSource) => {
    if (seen.has(address)) return;
    seen.add(address);
    out.push({ address, source, order: out.length });
  };
  for (const addr of applyEndpointFilters(candidates, inputs.filters)) {
    add(
      formatEndpoint({ addr, port: KUBESPAN.port }),
      reflectedSet.has(addr) ? EndpointSource.ENDPOINT_SOURCE_REFLECTED : EndpointSource.ENDPOINT_SOURCE_ADDRESS,
    );
  }
  for (const extra of inputs.extra) {
    const parsed = parseEndpoint(extra);
    if (parsed) add(formatEndpoint(parsed), EndpointSource.ENDPOINT_SOURCE_EXTRA);
  }
  return out;
}

/** Keeps the Endpoint resources equal to what this node should advertise. */
export function endpointsController(config: AgentConfig): Controller {
  const filters = config.filters.endpoints.map((f) => parseEndpointFilter(f) as EndpointFilter);
  return {
    name: 'endpoints',
    inputs: [HostNetworkKind, ReflectedAddressKind, IdentityKind],
    outputs: [exclusive(EndpointKind)],
    run({ store }) {
      const host = store.get(HostNetworkKind, 'host')?.spec;
      const identity = store.get(IdentityKind, 'local')?.spec;
      const subnet = identity && parsePrefix(identity.subnet);
      if (!host || !subnet) return;
      const reflected = store
        .list(ReflectedAddressKind)
        .map((r) => parseIp(r.spec.ip))
        .filter((a): a is IpAddr => a !== undefined);
      const endpoints = computeAdvertisedEndpoints({ addresses: nodeAddresses(host.links, subnet), reflected, filters, extra: config.extraAnnouncedEndpoints });
      store.replaceAll(
        EndpointKind,
        endpoints.map((e) => [e.address, e]),
      );
    },
  };
}

import {
  ResourceType,
  type Config,
  type Endpoint,
  type HealthWarning,
  type Identity,
  type PeerSpec,
  type PeerStatus,
  type Resource,
} from '../../proto/gen/spanwise/agent/v1/agent.js';
import type { AgentConfig } from '../config/schema.js';
import type { AffiliateInfo } from '../shared/affiliate-crypto.js';

/** A kind of resource; `api` is set for kinds the agent API serves (and `get` prints). */
export interface ResourceKind<T> {
  readonly name: string;
  readonly api?: { type: ResourceType; toSpec(spec: T): Resource['spec'] };
  /** Phantom field carrying T. */
  readonly _type?: T;
}

function apiKind<T>(name: string, type: ResourceType, toSpec: (spec: T) => Resource['spec']): ResourceKind<T> {
  return { name, api: { type, toSpec } };
}

function internalKind<T>(name: string): ResourceKind<T> {
  return { name };
}

/** This node's mesh identity (id "local"). */
export const IdentityKind = apiKind<Identity>('identities', ResourceType.RESOURCE_TYPE_IDENTITY, (value) => ({ $case: 'identity', value }));
/** One peer the mesh should have, by public key. */
export const PeerSpecKind = apiKind<PeerSpec>('peerspecs', ResourceType.RESOURCE_TYPE_PEER_SPEC, (value) => ({ $case: 'peerSpec', value }));
/** What WireGuard reports for one peer, by public key. */
export const PeerStatusKind = apiKind<PeerStatus>('peerstatuses', ResourceType.RESOURCE_TYPE_PEER_STATUS, (value) => ({ $case: 'peerStatus', value }));
/** One endpoint this node advertises, by "ip:port". */
export const EndpointKind = apiKind<Endpoint>('endpoints', ResourceType.RESOURCE_TYPE_ENDPOINT, (value) => ({ $case: 'endpoint', value }));
/** The effective config without secrets (id "kubespan"). */
export const ConfigKind = apiKind<Config>('config', ResourceType.RESOURCE_TYPE_CONFIG, (value) => ({ $case: 'config', value }));
/** One health warning, by code (and subject when a code can repeat, "CODE/subject"). */
export const HealthKind = apiKind<HealthWarning>('health', ResourceType.RESOURCE_TYPE_HEALTH_WARNING, (value) => ({ $case: 'healthWarning', value }));

/** Every kind the API serves. */
export const API_KINDS: readonly ResourceKind<unknown>[] = [
  IdentityKind,
  PeerSpecKind,
  PeerStatusKind,
  EndpointKind,
  ConfigKind,
  HealthKind,
] as ResourceKind<unknown>[];

/** A network link of the host, as `ip -j -d addr` shows it. */
export interface HostLink {
  name: string;
  /** Lower-case MAC, undefined for links without one. */
  mac?: string;
  /** Backed by a device (has /sys/class/net/NAME/device) and of Ethernet type. */
  physical: boolean;
  up: boolean;
  mtu: number;
  /** Addresses as CIDRs ("10.0.0.5/24"). */
  addresses: string[];
}

/** The host's links and default routes (id "host"); refreshed on a timer. */
export interface HostNetwork {
  links: HostLink[];
  /** Link names carrying a default route, IPv4 and IPv6. */
  defaultRouteLinks: string[];
}
export const HostNetworkKind = internalKind<HostNetwork>('hostnetwork');

/** The WireGuard private key (id "local"). Never served, printed or logged. */
export interface PrivateKey {
  privateKey: string;
}
export const PrivateKeyKind = internalKind<PrivateKey>('privatekey');

/** What the probes through the mesh saw of one peer, by public key (see peerProbeController). */
export interface PeerProbe {
  /** The last measured round trip in ms; undefined until a probe is answered. */
  rttMs?: number;
  /** When a probe was last answered (ms since the epoch): the peer is known to answer them. */
  answeredAt?: number;
  /** When the first probe since the peer was last heard from was sent; undefined once it answers or sends anything. */
  pendingSince?: number;
}
export const PeerProbeKind = internalKind<PeerProbe>('peerprobe');

/** The public address a discovery service saw in Hello, by discovery URL. */
export interface ReflectedAddress {
  ip: string;
}
export const ReflectedAddressKind = internalKind<ReflectedAddress>('reflectedaddress');

/** A cluster member found through discovery, decrypted and merged over all discovery services, by affiliate id. */
export interface DiscoveredAffiliate {
  info: AffiliateInfo;
  /** Its endpoints ("ip:port"), de-duplicated, in the order first seen. */
  endpoints: string[];
  /** The discovery URLs that know it. */
  sources: string[];
}
export const DiscoveredAffiliateKind = internalKind<DiscoveredAffiliate>('affiliates');

/** What this node publishes about itself (id "local"). */
export interface LocalAffiliate {
  id: string;
  info: AffiliateInfo;
  endpoints: string[];
}
export const LocalAffiliateKind = internalKind<LocalAffiliate>('localaffiliate');

/** An endpoint observed for an up peer, by the peer's affiliate id (published when harvesting). */
export interface ObservedEndpoint {
  affiliateId: string;
  endpoint: string;
}
export const ObservedEndpointKind = internalKind<ObservedEndpoint>('observedendpoints');

/** The connection state of one discovery service, by URL. */
export interface DiscoveryStatus {
  url: string;
  connected: boolean;
  /** Last error in words, without secrets. */
  lastError?: string;
  /** When the last successful exchange happened (ms since the epoch). */
  lastContact?: number;
  redirectedTo?: string;
}
export const DiscoveryStatusKind = internalKind<DiscoveryStatus>('discoverystatus');

/**
 * What this node sees of its direct paths in automatic relay mode (id "local"): the peers it
 * cannot reach directly, published (as key prefixes) in its affiliate, and the endpoint it dials
 * each relayed peer on, so a direct handshake keeps being tried.
 */
export interface RelayReach {
  /** Public keys of the peers it cannot reach directly, sorted. */
  unreachable: string[];
  /** Public key to "ip:port" of each relayed peer still dialled directly. */
  dial: Record<string, string>;
}
export const RelayReachKind = internalKind<RelayReach>('relayreach');

/** The relays in force on this node (id "cluster"): the config's own, then the automatic ones. */
export interface RelayPlan {
  relays: AgentConfig['relays'];
  /** Automatic mode: relayed peers stay in WireGuard with their endpoints and no allowed IPs. */
  auto: boolean;
}
export const RelayPlanKind = internalKind<RelayPlan>('relayplan');

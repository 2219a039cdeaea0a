import type { ResourceKind } from '../resources/kinds.js';
import type { Relay } from './relay-specs.js';

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
export const RelayReachKind: ResourceKind<RelayReach> = { name: 'relayreach' };

/** The relays in force on this node (id "cluster"): the config's own, then the automatic ones. */
export interface RelayPlan {
  relays: Relay[];
  /** Automatic mode: relayed peers stay in WireGuard with their endpoints and no allowed IPs. */
  auto: boolean;
}
export const RelayPlanKind: ResourceKind<RelayPlan> = { name: 'relayplan' };

/**
 * The declarative shape of a lab scenario: sites, the hosts in them, their
 * firewalls and NAT, and the reachability matrix the scenario promises.
 * One file per scenario lives in `scenarios/`; `plan.ts` turns a scenario into
 * concrete namespaces, links and addresses.
 */

/** The kind of place a site stands for. */
export type SiteKind = 'cloud' | 'datacenter' | 'edge';

/** The site a host reports in status: gateways are listed as their own kind. */
export type HostSite = SiteKind | 'gateway';

/** A transport protocol a rule, forward or probe is about. */
export type Proto = 'tcp' | 'udp';

/**
 * One stateful nftables rule. Rules only see NEW connections: replies to
 * traffic that went the other way always pass, as with a real firewall.
 */
export interface FirewallRule {
  /** `inbound`: new traffic arriving from outside; `outbound`: new traffic leaving. */
  direction: 'inbound' | 'outbound';
  /** Protocol to match; `any` matches every protocol (e.g. "drop all outbound"). */
  proto: Proto | 'any';
  /** Destination port to match (not allowed with `any`); absent = every port. */
  port?: number;
  /** `drop` silently, or `reject` (TCP reset / ICMP port unreachable). */
  action: 'drop' | 'reject';
}

/** A destination NAT on a datacenter gateway: gateway WAN `port` -> `to`:`toPort`. */
export interface PortForward {
  proto: Proto;
  /** Port on the gateway's public address. */
  port: number;
  /** Name of the host on the gateway's LAN that receives the traffic. */
  to: string;
  /** Port on that host; defaults to `port`. */
  toPort?: number;
}

/** A lab host: its own namespace, hostname, private dirs and sshd. */
export interface HostSpec {
  /** Host name, hostname and SSH alias: `[a-z][a-z0-9-]{0,11}`, unique in the scenario. */
  name: string;
  /** Host-local firewall (nftables `table inet filter`); absent or empty = allow all. */
  firewall?: FirewallRule[];
  /** MTU of the host's link (both ends of its veth); default 1500. */
  mtu?: number;
}

/** The router in front of a datacenter or edge site; it is a lab host too (runs sshd). */
export interface GatewaySpec {
  /** Host name of the gateway; defaults to `<site name>-gw`. */
  name?: string;
  /** Rules on the gateway, for traffic to it and through it (WAN side). */
  firewall?: FirewallRule[];
  /** MTU of the gateway's WAN link; default 1500. */
  mtu?: number;
}

/** Hosts with addresses on the simulated public network. */
export interface CloudSite {
  kind: 'cloud';
  name: string;
  hosts: HostSpec[];
  /** Dual stack: each host also gets an IPv6 address on the public net (2001:db8::/64, the documentation prefix). */
  ipv6?: boolean;
}

/**
 * Hosts on a private LAN behind a gateway that masquerades outbound traffic
 * (port preserving), drops unsolicited inbound traffic, and forwards the
 * listed ports (subject to its firewall rules).
 */
export interface DatacenterSite {
  kind: 'datacenter';
  name: string;
  gateway?: GatewaySpec;
  forwards?: PortForward[];
  hosts: HostSpec[];
}

/**
 * `port-preserving`: masquerade that keeps the source port (hole punching works);
 * `random`: masquerade with fully random source ports (hole punching fails).
 */
export type NatMode = 'port-preserving' | 'random';

/** Hosts behind a NAT gateway with no inbound forwards at all. */
export interface EdgeSite {
  kind: 'edge';
  name: string;
  nat: NatMode;
  gateway?: GatewaySpec;
  hosts: HostSpec[];
}

export type SiteSpec = CloudSite | DatacenterSite | EdgeSite;

/**
 * One cell of the reachability matrix: can `from` open a new flow to `to`'s
 * `port`? `to` is dialled the way a peer would: its LAN address from inside
 * its own site, else its public address (its gateway's WAN address when it
 * sits behind one). `desktop` is the root namespace.
 */
export interface Reach {
  from: string;
  to: string;
  proto: Proto;
  port: number;
  reachable: boolean;
  /** Why, for the test name. */
  why?: string;
}

/** A complete scenario. */
export interface Scenario {
  name: string;
  description: string;
  sites: SiteSpec[];
  /** What must (and must not) connect; checked by the lab's own tests. */
  reachability: Reach[];
}

/** Identity helper so scenario files are type-checked where they are written. */
export function defineScenario(scenario: Scenario): Scenario {
  return scenario;
}

import type { FirewallKind } from '../../contract/diagnosis.js';
import type { AgentVia } from '../../contract/mesh.js';
import type { SiteKind } from '../../contract/machines.js';
import type { PeerView as StatusPeerView } from '../../contract/status.js';
import type { AgentHealthWarning } from '../agents/agent-view.js';
import type { IptRuleLocation } from './firewall/iptables.js';
import type { NftRuleLocation } from './firewall/types.js';

/** Reachability of one port in one direction. */
export type Reach = 'open' | 'blocked' | 'unknown';

/** What a host's own firewall does with a new inbound packet to one port from anywhere. */
export interface LocalVerdict {
  verdict: 'allow' | 'block' | 'unknown';
  /** The firewall that decides (null when none is active). */
  firewall: FirewallKind | null;
  /** The rule or policy that blocks, quoted as the tool prints it. */
  rule: string | null;
  /** Where an allow rule goes: nftables `family table chain` of each blocking chain; firewalld zone; iptables chain. */
  anchors: string[];
  /** ufw: whether numbered rules exist (so `ufw insert 1` works). */
  hasRules?: boolean;
  /** nftables: where the blocking rule or policy sits (family, table, chain, handle). */
  location?: NftRuleLocation;
  /** iptables: the command, backend, table and chain of the blocking rule or policy. */
  iptables?: IptRuleLocation;
  /** Why the verdict is unknown, when it is. */
  reason?: string;
}

/** A host's own firewall, as read over SSH. */
export interface FirewallEvidence {
  /** The firewall that manages the host (firewalld or ufw when active, else nftables or iptables), null when none filters. */
  kind: FirewallKind | null;
  /** Docker's chains are present (Docker edits iptables). */
  docker: boolean;
  udp51820: LocalVerdict;
  tcp50000: LocalVerdict;
  /** What the host's output path does with a new datagram or connection to a peer's port; absent where not judged. */
  outbound?: { udp51820: LocalVerdict; tcp50000: LocalVerdict };
}

/** The source address one observer saw for a datagram the node sent from `sourcePort`. */
export interface NatObservation {
  observer: string;
  /** "ip:port" as the observer saw it. */
  observed: string;
  sourcePort: number;
  /** A Spanwise probe to a responder, or the endpoint an observer's WireGuard learned when the node dialled it. */
  via: 'probe' | 'wireguard';
}

/** Everything gathered about one node. */
export interface NodeEvidence {
  name: string;
  site: SiteKind;
  /** False for a member Spanwise does not manage: only its published data and what the agents see of it are known (absent: managed). */
  managed?: false;
  /** Addresses on the host's links, as CIDRs. */
  addresses: string[];
  /** Endpoints the node advertises ("ip:port"), in dial order. */
  endpoints: string[];
  /** The public IP the discovery service reflected, if any. */
  reflectedIp: string | null;
  agent: { reachable: boolean; via: AgentVia | null };
  /** TCP 50000 from the desktop, directly: per address tried. */
  apiFromDesktop: Array<{ target: string; reachable: boolean; error?: string }>;
  firewall: FirewallEvidence | null;
  nat: NatObservation[];
  /** MTU of the node's main link, and the mesh MTU it runs. */
  linkMtu: number | null;
  meshMtu: number | null;
  /** TCP from the node to the discovery service. */
  discovery: { target: string; reachable: boolean; error?: string } | null;
  /** The node's WireGuard public key and mesh address, from its agent's identity. */
  publicKey: string | null;
  meshAddress: string | null;
  /** Every peer the node's agent tracks, by key: members that match no node (an old key) show here. */
  peers: KnownPeer[];
  /** The health warnings the node's agent publishes. */
  warnings: AgentHealthWarning[];
  /** Host facts read over SSH: rp_filter per link (`all`, `default`, link names), and the clock's offset to the desktop. */
  host: HostFacts | null;
}

/** One peer as the node's agent tracks it. */
export interface KnownPeer {
  publicKey: string;
  /** The member's label (its hostname), '' when it published none. */
  label: string;
  state: PeerView['state'];
  endpoint: string | null;
}

/** What the host report says beyond the firewall and MTUs. */
export interface HostFacts {
  /** net.ipv4.conf.<name>.rp_filter: 0 off, 1 strict, 2 loose. */
  rpFilter: Record<string, number>;
  /** Host clock minus the desktop's clock, in ms (the read's round trip is the error bar); null when not read. */
  clockOffsetMs: number | null;
  /** The mesh link's name when it exists on the host. */
  meshLink: string | null;
}

/** What one side's WireGuard says about a peer: the peer of `status:get` without its names and round trip. */
export type PeerView = Pick<StatusPeerView, 'state' | 'endpoint' | 'lastHandshake' | 'rx' | 'tx' | 'reason'>;

/** Everything gathered about one ordered pair (from -> to). */
export interface PairEvidence {
  from: string;
  to: string;
  /** UDP 51820 from `from` arriving at `to` (a responder before the mesh, an arrival counter after). */
  udp51820: Reach;
  /** TCP 50000 from `from` to `to` (any of its addresses). */
  tcp50000: Reach;
  /** `from`'s WireGuard view of `to`, when its agent was read. */
  peer: PeerView | null;
  /** Path MTU from `from` to `to`'s endpoint over the underlay, when measured. */
  pathMtu: number | null;
  /** The same probes over IPv6 (`udp51820` and `tcp50000` above are over IPv4); null when either end has no IPv6 address to try. */
  ipv6: { udp51820: Reach; tcp50000: Reach } | null;
}

/** The input of `diagnose`. */
export interface Evidence {
  nodes: NodeEvidence[];
  pairs: PairEvidence[];
}

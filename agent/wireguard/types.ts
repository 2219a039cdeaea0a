/** KubeSpan constants (see KUBESPAN-FACTS.md). */
export const KUBESPAN = {
  link: 'kubespan',
  port: 51820,
  keepaliveSec: 25,
  table: 180,
  rulePriority: 32500,
  /** WireGuard's own UDP packets. */
  wireguardMark: 0x20,
  /** Traffic to send into the mesh. */
  meshMark: 0x40,
  markMask: 0x60,
  /** Conntrack mark of connections a peer opened from outside the mesh: their replies leave the same way. */
  underlayConnMark: 0x20,
  nftTable: 'spanwise_kubespan',
} as const;

/** One peer as WireGuard should have it. */
export interface PeerConfig {
  publicKey: string;
  /** "ip:port"; undefined leaves WireGuard to learn it from the peer. */
  endpoint?: string;
  allowedIps: string[];
  /**
   * The peer is not connected (no handshake since we last chose its endpoint). When its endpoint
   * changes it is re-created, so the handshake to the new endpoint starts now: WireGuard sends no new
   * initiation within 5 s (REKEY_TIMEOUT) of the last one, which went to the dead endpoint.
   */
  redial?: boolean;
}

/** The whole desired state of the mesh link. Holds the private key and PSK: never log it. */
export interface DeviceConfig {
  privateKey: string;
  /** The cluster secret, used as the pre-shared key of every peer. */
  presharedKey: string;
  listenPort: number;
  mtu: number;
  /** The node ULA with the cluster prefix length, e.g. "fd7f:...:8169/64". */
  address: string;
  peers: PeerConfig[];
  /**
   * Pairs of mesh members this node relays, each end as its allowed IPs: traffic between the two
   * ends is forwarded from the link back into it; nothing else is forwarded to or from it.
   */
  forwarded: [string[], string[]][];
  /** This node's own advertised prefixes (pod networks), still carried by the mesh on a relay node. */
  localPrefixes?: string[];
  /** Prefixes marked 0x40 by nftables and so routed through table 180. */
  routed: { v4: string[]; v6: string[] };
  /**
   * TCP services this node reaches over the underlay though their address is routed into the mesh:
   * the discovery service, which the mesh needs in order to exist (its data is sealed with the
   * cluster secret, and TLS unless the cluster chose plain h2c).
   */
  underlayServices?: UnderlayService[];
}

/** One TCP service by address (IPv4 or IPv6, no brackets) and port. */
export interface UnderlayService {
  address: string;
  port: number;
}

/** One peer as WireGuard reports it (`wg show kubespan dump`). */
export interface PeerRuntime {
  publicKey: string;
  /** Whether the peer's PSK equals the desired one (the key itself is not kept). */
  presharedKeyHash: string;
  endpoint?: string;
  allowedIps: string[];
  /** ms since the epoch; undefined when never. */
  lastHandshake?: number;
  rxBytes: number;
  txBytes: number;
  keepaliveSec: number;
}

/** The link as WireGuard reports it. */
export interface DeviceRuntime {
  publicKey: string;
  privateKeyHash: string;
  listenPort: number;
  fwmark: number;
  peers: Map<string, PeerRuntime>;
}

/** What one apply did. */
export interface ApplyReport {
  /** Commands run (or recorded); 0 when nothing differed. */
  commands: number;
  peersChanged: number;
  peersRemoved: number;
  routingChanged: boolean;
  firewallChanged: boolean;
}

/** Programs the mesh link: diffs the desired state against what is there and changes only the difference. */
export interface WireGuardBackend {
  readonly name: 'kernel' | 'wireguard-go' | 'dry-run';
  apply(desired: DeviceConfig): Promise<ApplyReport>;
  /** The link's WireGuard state, undefined when the link does not exist. */
  readDevice(): Promise<DeviceRuntime | undefined>;
  /** Removes link, routes, rules and nftables chains (cleanup). */
  remove(): Promise<void>;
  /** Stops helper processes (a supervised wireguard-go) when the agent stops. */
  close(): Promise<void>;
}

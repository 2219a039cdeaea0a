/**
 * How the agent's reachability probes are told apart from other traffic, so
 * they test the underlay (the path WireGuard itself uses) rather than the mesh:
 * the mesh's nftables chains let them through unmarked.
 */

/** Every probe datagram (request and answer) starts with this text. */
export const PROBE_PREFIX = 'SPANWISE-PROBE';

/** The first 8 bytes of the prefix as a hex number, for an nftables raw payload match (`@th,64,64`). */
export const PROBE_PAYLOAD_HEX = `0x${Buffer.from(PROBE_PREFIX.slice(0, 8), 'latin1').toString('hex')}`;

/**
 * Local TCP ports that probe connections are made from. Below the NFS and
 * glibc `bindresvport` ranges (600+) and far below the kernel's ephemeral
 * range, so no other client picks them by accident.
 */
export const PROBE_TCP_PORTS = { first: 520, last: 599 } as const;

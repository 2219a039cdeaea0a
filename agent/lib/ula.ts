import { createHash } from 'node:crypto';
import { formatIp, type IpAddr } from '../shared/ip.js';

/** The KubeSpan purpose byte, byte 7 of the cluster ULA. */
export const KUBESPAN_ULA_PURPOSE = 0x02;

/**
 * The cluster's KubeSpan ULA /64: the last 16 bytes of SHA-256(clusterId as UTF-8),
 * byte 0 = 0xfd, byte 7 = 0x02, lower 64 bits zero.
 */
export function clusterSubnet(clusterId: string): IpAddr {
  const hash = createHash('sha256').update(clusterId, 'utf8').digest();
  const bytes = Uint8Array.from(hash.subarray(16, 32));
  bytes[0] = 0xfd;
  bytes[7] = KUBESPAN_ULA_PURPOSE;
  bytes.fill(0, 8);
  return { family: 6, bytes };
}

/** Parses "aa:bb:cc:dd:ee:ff" (or with dashes); undefined unless it is a 6-byte MAC. */
export function parseMac(text: string): Uint8Array | undefined {
  const parts = text.trim().split(/[:-]/);
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{2}$/.test(p))) return undefined;
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

/** Places the modified EUI-64 of `mac` (U/L bit flipped, ff:fe in the middle) in the lower half of `subnet`. */
export function eui64Address(subnet: IpAddr, mac: Uint8Array): IpAddr {
  const bytes = Uint8Array.from(subnet.bytes);
  bytes.set([(mac[0] ?? 0) ^ 0x02, mac[1] ?? 0, mac[2] ?? 0, 0xff, 0xfe, mac[3] ?? 0, mac[4] ?? 0, mac[5] ?? 0], 8);
  return { family: 6, bytes };
}

/** A node's KubeSpan addressing, as `identity derive` prints it. */
export interface NodeAddressing {
  /** The cluster ULA /64, e.g. "fd7f:175a:b97c:5602::/64". */
  subnet: string;
  /** The node's ULA, e.g. "fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169". */
  address: string;
}

/** Derives the cluster /64 and the node address; throws when the MAC is malformed. */
export function deriveNodeAddressing(clusterId: string, macText: string): NodeAddressing {
  const mac = parseMac(macText);
  if (!mac) throw new Error(`'${macText}' is not a MAC address (expected six hex bytes like 2e:1a:b6:53:81:69)`);
  const subnet = clusterSubnet(clusterId);
  return { subnet: `${formatIp(subnet)}/64`, address: formatIp(eui64Address(subnet, mac)) };
}

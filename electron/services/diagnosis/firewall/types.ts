import type { IptRuleLocation } from './iptables.js';

/** A packet to judge: a new inbound connection or datagram from an outside address, on a non-loopback link. */
export interface PortQuery {
  protocol: 'tcp' | 'udp';
  port: number;
  /** inbound (the default): a new packet from outside to this host; outbound: a new packet this host sends. */
  direction?: 'inbound' | 'outbound';
  /** The address family (ipv4 when absent). */
  family?: 'ipv4' | 'ipv6';
  /** The link the packet crosses, when known (a link other than loopback otherwise). */
  iface?: string;
}

/** Where a deciding nftables rule or policy sits; a fix addresses the rule by its handle. */
export interface NftRuleLocation {
  family: string;
  table: string;
  /** The chain that holds the rule (for a policy, the base chain). */
  chain: string;
  /** The rule's handle; null when the base chain's policy decides. */
  handle: number | null;
  /** The base chain on the hook the packet was walking (where an accept rule goes). */
  baseChain: string;
}

/** What one firewall's rules do with the packet. */
export interface RuleVerdict {
  verdict: 'allow' | 'block' | 'unknown';
  /** The deciding rule or policy, quoted. */
  rule: string | null;
  /** Where an allow goes (see LocalVerdict.anchors). */
  anchors: string[];
  hasRules?: boolean;
  /** nftables: where the deciding rule or policy sits. */
  location?: NftRuleLocation;
  /** Why the verdict is unknown, when it is. */
  reason?: string;
  /** iptables: the command, backend, table and chain of the deciding rule or policy. */
  iptables?: IptRuleLocation;
}

export const allowAll: RuleVerdict = { verdict: 'allow', rule: null, anchors: [] };

/** Whether a port list such as "51820", "50000-50010", "50000:50010" or "22,51820" contains `port`. */
export function portListHas(list: string, port: number): boolean {
  return list
    .split(/[,\s]+/)
    .filter(Boolean)
    .some((item) => {
      const range = /^(\d+)[-:](\d+)$/.exec(item);
      if (range) return port >= Number(range[1]) && port <= Number(range[2]);
      return /^\d+$/.test(item) && Number(item) === port;
    });
}

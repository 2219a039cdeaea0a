/** A packet to judge: a new inbound connection or datagram from an outside address, on a non-loopback link. */
export interface PortQuery {
  protocol: 'tcp' | 'udp';
  port: number;
}

/** What one firewall's rules do with the packet. */
export interface RuleVerdict {
  verdict: 'allow' | 'block' | 'unknown';
  /** The deciding rule or policy, quoted. */
  rule: string | null;
  /** Where an allow goes (see LocalVerdict.anchors). */
  anchors: string[];
  hasRules?: boolean;
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

/** An expected verdict: allowed; blocked, quoting the rule or policy; or unknown, with a reason containing the text given. */
export type Expected = 'allow' | { block: string } | { unknown: string };

/** One corpus ruleset and what it does to a new packet to UDP 51820 and TCP 50000, inbound and outbound, over IPv4 (and IPv6 where it differs). */
export interface NftCase {
  name: string;
  why: string;
  inbound: { udp: Expected; tcp: Expected };
  outbound: { udp: Expected; tcp: Expected };
  ipv6?: { inbound?: { udp?: Expected; tcp?: Expected }; outbound?: { udp?: Expected; tcp?: Expected } };
  /** Verdicts on a named link, where they differ from an unnamed one. */
  links?: Array<{ iface: string; direction: 'inbound' | 'outbound'; udp: Expected; tcp: Expected }>;
}

const open = { udp: 'allow', tcp: 'allow' } as const;
const policy = (chain: string, proto: 'udp' | 'tcp') => ({
  block: `${chain}: policy drop (no rule accepts ${proto} dport ${proto === 'udp' ? 51820 : 50000})`,
});

/** The corpus: each entry's ruleset is NAME.nft, its JSON as real nft lists it NAME.json. */
export const nftCases: NftCase[] = [
  { name: 'debian-default', why: "Debian's /etc/nftables.conf: hooks with no rules and no policy", inbound: open, outbound: open },
  {
    name: 'named-set-accept',
    why: 'udp dport @mesh_ports accepts (the set holds 51820); nothing accepts TCP 50000 under policy drop',
    inbound: { udp: 'allow', tcp: policy('table inet filter chain input', 'tcp') },
    outbound: open,
  },
  { name: 'vmap-accept', why: 'an anonymous vmap { 51820 : accept } and a named verdict map for TCP', inbound: open, outbound: open },
  {
    name: 'vmap-drop',
    why: 'a concatenated vmap drops udp . 51820',
    inbound: { udp: { block: 'table inet filter chain input: meta l4proto . th dport vmap { tcp . 23 : drop, udp . 51820 : drop } # handle 6' }, tcp: 'allow' },
    outbound: open,
  },
  {
    name: 'user-chains',
    why: 'jump to services, goto mesh (accepts), jump agent (returns), then the base chain drops',
    inbound: { udp: 'allow', tcp: { block: 'table inet firewall chain inbound: counter packets 0 bytes 0 drop # handle 9' } },
    outbound: open,
  },
  {
    name: 'two-base-chains',
    why: 'an accept at priority 0 ends only its chain; the chain at priority 10 drops',
    inbound: { udp: { block: 'table inet late chain input: udp dport 51820 drop comment "no mesh here" # handle 2' }, tcp: 'allow' },
    outbound: open,
  },
  {
    name: 'inet-and-ip6',
    why: 'an ip6 table with policy drop sees only IPv6; the inet accept does not end it',
    inbound: open,
    outbound: open,
    ipv6: { inbound: { udp: policy('table ip6 v6filter chain input', 'udp'), tcp: policy('table ip6 v6filter chain input', 'tcp') } },
  },
  {
    name: 'established-only',
    why: 'only replies get through, in and out: a new packet is ct state new',
    inbound: { udp: policy('table inet filter chain input', 'udp'), tcp: policy('table inet filter chain input', 'tcp') },
    outbound: { udp: policy('table inet filter chain output', 'udp'), tcp: policy('table inet filter chain output', 'tcp') },
  },
  {
    name: 'iifname-accepts',
    why: 'accepts only on named links: unknown until the link is known',
    inbound: { udp: { unknown: 'depends on meta iifname' }, tcp: { unknown: 'iifname "eth0" tcp dport 50000 accept # handle 8' } },
    outbound: { udp: { unknown: 'depends on meta oifname' }, tcp: 'allow' },
    links: [
      { iface: 'eth0', direction: 'inbound', udp: 'allow', tcp: 'allow' },
      { iface: 'ens3', direction: 'inbound', udp: 'allow', tcp: policy('table inet filter chain input', 'tcp') },
      { iface: 'eth1', direction: 'inbound', udp: policy('table inet filter chain input', 'udp'), tcp: policy('table inet filter chain input', 'tcp') },
      { iface: 'eth1', direction: 'outbound', udp: { block: 'table inet filter chain output: oifname "eth1" udp dport 51820 drop # handle 9' }, tcp: 'allow' },
      { iface: 'eth0', direction: 'outbound', udp: 'allow', tcp: 'allow' },
    ],
  },
  { name: 'docker', why: "Docker's nftables table: DNAT only for published ports, masquerade outbound", inbound: open, outbound: open },
  { name: 'kube-proxy', why: "kube-proxy's nftables mode: verdict maps on address . protocol . port that hold no mesh port", inbound: open, outbound: open },
  { name: 'limit-rate', why: 'a first packet is within any rate: limit rate accepts, limit rate over does not drop', inbound: open, outbound: open },
  {
    name: 'reject',
    why: 'reject is a drop, in and out; an ip table at a lower priority rejects IPv4 first, in a chain reached by jump',
    inbound: {
      udp: { block: 'table ip filter chain fw: udp dport 51820 reject # handle 4' },
      tcp: { block: 'table inet filter chain input: tcp dport 50000 reject with tcp reset # handle 4' },
    },
    outbound: { udp: { block: 'table inet filter chain output: udp dport 51820 reject # handle 6' }, tcp: 'allow' },
    ipv6: { inbound: { udp: { block: 'table inet filter chain input: udp dport 51820 reject with icmpx admin-prohibited # handle 5' } } },
  },
  {
    name: 'source-limited',
    why: 'UDP is accepted only from 10.0.0.0/8 (depends on the peer); IPv6 has no such accept; TCP by a range in a user chain',
    inbound: {
      udp: { unknown: 'depends on ip saddr of the packet: "table inet filter chain input: ip saddr 10.0.0.0/8 udp dport 51820 accept # handle 7"' },
      tcp: 'allow',
    },
    outbound: open,
    ipv6: { inbound: { udp: policy('table inet filter chain input', 'udp') } },
  },
  {
    name: 'lab-mesh-ports',
    why: 'loaded on a lab host beside its own tables: the named set accepts before the drop',
    inbound: open,
    outbound: open,
  },
  {
    name: 'lab-vmap-drop',
    why: 'loaded on a lab host beside its own tables: a verdict map drops udp . 51820',
    inbound: { udp: { block: 'table inet corpus chain input: meta l4proto . th dport vmap { tcp . 23 : drop, udp . 51820 : drop } # handle 3' }, tcp: 'allow' },
    outbound: open,
  },
  {
    name: 'dormant-table',
    why: 'a dormant table sees no packets, but nft 1.0.6 prints its name as its flags: unknown, not blocked',
    inbound: { udp: { unknown: 'may be dormant' }, tcp: { unknown: 'may be dormant' } },
    outbound: open,
  },
  {
    name: 'lab-host',
    why: "the lab's host firewall with the agent's own table",
    inbound: { udp: { block: 'table inet filter chain input: udp dport 51820 drop # handle 6' }, tcp: 'allow' },
    outbound: open,
  },
];

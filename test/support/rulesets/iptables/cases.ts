import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FirewallOutputs } from '../../../../electron/services/diagnosis/firewall/inspect.js';
import { rulesetDir } from './generate.js';

/** An expected verdict: allowed; blocked, quoting the rule or policy; or unknown, with a reason containing the text given. */
export type Expected = 'allow' | { block: string; table?: string; backend?: 'nf_tables' | 'legacy' } | { unknown: string };

/** Verdicts for UDP 51820 and TCP 50000, inbound and outbound. */
export interface Verdicts {
  inbound: { udp: Expected; tcp: Expected };
  outbound: { udp: Expected; tcp: Expected };
}

/** One corpus ruleset (NAME.save, NAME.save6, NAME.legacy.save, NAME.ipsets as the real tools print them) and what it does. */
export interface IptCase extends Verdicts {
  name: string;
  why: string;
  /** The IPv6 verdicts, where ip6tables-save is part of the case. */
  ipv6?: Verdicts;
  /** Verdicts when the default route's link is named (the rules name links). */
  links?: Array<{ link: string } & Verdicts>;
}

const open = { udp: 'allow', tcp: 'allow' } as const;
const inputPolicy = { block: ':INPUT DROP [0:0]' } as const;

export const iptCases: IptCase[] = [
  {
    name: 'docker-host',
    why: "Docker's chains are in FORWARD and nat; the admin's INPUT (policy DROP) opens 51820/udp but not 50000/tcp",
    inbound: { udp: 'allow', tcp: inputPolicy },
    outbound: open,
  },
  {
    name: 'docker-publishes-51820',
    why: "a container publishes 51820/udp: Docker's DNAT takes the datagrams away from the host's agent",
    inbound: { udp: { unknown: 'DNAT hands the packet to something' }, tcp: 'allow' },
    outbound: open,
  },
  {
    name: 'kube-proxy',
    why: "kube-proxy's KUBE-FIREWALL drops only marked or localnet packets, and its service chains match service addresses and node ports",
    inbound: open,
    outbound: open,
  },
  {
    name: 'drop-policy-multiport',
    why: 'DROP policies both ways; multiport accepts name 51820 (in a range inbound) but not 50000',
    inbound: { udp: 'allow', tcp: inputPolicy },
    outbound: { udp: 'allow', tcp: { block: ':OUTPUT DROP [0:0]' } },
  },
  {
    name: 'conntrack-established-only',
    why: 'only replies, loopback and SSH from one range get in: a new packet is conntrack state NEW',
    inbound: { udp: inputPolicy, tcp: inputPolicy },
    outbound: open,
  },
  {
    name: 'interface-limited',
    why: 'the accepts name eth1: on an unknown link that cannot be told; on eth0 the policy drops; on eth1 they accept',
    inbound: { udp: { unknown: 'whether the packet crosses eth1' }, tcp: { unknown: 'whether the packet crosses eth1' } },
    outbound: open,
    links: [
      { link: 'eth0', inbound: { udp: inputPolicy, tcp: inputPolicy }, outbound: open },
      { link: 'eth1', inbound: open, outbound: open },
    ],
  },
  {
    name: 'nft-and-legacy',
    why: 'iptables-nft is open, but iptables-legacy tables (a packet crosses both) reject 51820/udp',
    inbound: { udp: { block: '-A INPUT -p udp -m udp --dport 51820 -j REJECT --reject-with icmp-port-unreachable', backend: 'legacy' }, tcp: 'allow' },
    outbound: open,
  },
  {
    name: 'ip6-only-blocking',
    why: 'IPv4 is open; ip6tables rejects 51820/udp and drops the rest by policy',
    inbound: open,
    outbound: open,
    ipv6: {
      inbound: { udp: { block: '-A INPUT -p udp -m udp --dport 51820 -j REJECT --reject-with icmp6-adm-prohibited' }, tcp: inputPolicy },
      outbound: open,
    },
  },
  {
    name: 'raw-prerouting-drop',
    why: 'the raw table drops 51000-52000/udp before the filter table, which accepts everything',
    inbound: { udp: { block: '-A PREROUTING -p udp -m udp --dport 51000:52000 -j DROP', table: 'raw' }, tcp: 'allow' },
    outbound: open,
  },
  {
    name: 'user-chain-goto',
    why: 'INPUT jumps to services, which goes to mesh: 51820/udp accepted under a limit; 50000/tcp only from a range, so mesh returns past services to the policy',
    inbound: { udp: 'allow', tcp: inputPolicy },
    outbound: open,
  },
  {
    name: 'ipset-mesh-ports',
    why: 'a port set holding 51820 accepts the mesh; 50000/tcp is open only to the networks of a set, so not from anywhere',
    inbound: { udp: 'allow', tcp: inputPolicy },
    outbound: open,
  },
  {
    name: 'ufw-host',
    why: "ufw's own chains as it loads them: 50000/tcp limited (a new connection passes); 51820/udp falls through ufw's chains to the INPUT policy",
    inbound: { udp: inputPolicy, tcp: 'allow' },
    outbound: open,
  },
];

const read = (file: string) => {
  try {
    return readFileSync(join(rulesetDir, file), 'utf8');
  } catch {
    return undefined;
  }
};

/** What a host report would hold for the case: the saves, and `iptables -V` naming nf_tables when a legacy side exists. */
export function iptOutputs(name: string, link?: string): FirewallOutputs {
  const out: FirewallOutputs = { iptablesSave: read(`${name}.save`) ?? '' };
  const v6 = read(`${name}.save6`);
  if (v6 !== undefined) out.ip6tablesSave = v6;
  const sets = read(`${name}.ipsets`);
  if (sets !== undefined) out.ipsetSave = sets;
  const legacy = read(`${name}.legacy.save`);
  if (legacy !== undefined) Object.assign(out, { iptablesVersion: 'iptables v1.8.9 (nf_tables)', iptablesOtherSave: legacy });
  if (link) out.links = `default via 192.0.2.1 dev ${link} proto static`;
  return out;
}

import { DEFAULT_MTU, DESKTOP, HOST_NAME_RE, LAN_PREFIX_LEN, PREFIX, PUBLIC_PREFIX_LEN } from './constants.js';
import type { FirewallRule, HostSite, NatMode, Proto, Scenario, SiteKind } from './scenario.js';

/** A port forward with the target's address resolved. */
export interface PlannedForward {
  proto: Proto;
  port: number;
  to: string;
  toAddress: string;
  toPort: number;
}

/** One host of a built scenario: where it sits and how it is addressed. */
export interface PlannedHost {
  name: string;
  /** cloud, datacenter or edge; `gateway` for the router of a site. */
  site: HostSite;
  /** Name of the site in the scenario. */
  siteName: string;
  siteKind: SiteKind;
  /** The host's network namespace. */
  namespace: string;
  /** Address on the public net (cloud hosts, a gateway's WAN side); else null. */
  publicAddress: string | null;
  /** Address on its site's LAN (hosts behind a gateway, a gateway's LAN side); else null. */
  privateAddress: string | null;
  /** IPv6 address on the public net (hosts of a dual-stack cloud site, in 2001:db8::/64); else null. */
  ipv6Address: string | null;
  /** The gateway in front of this host, if any. */
  gateway: string | null;
  mtu: number;
  /** MAC of the host's `eth0` (or a gateway's `wan`); fixed per scenario. */
  mac: string;
  firewall: FirewallRule[];
  /** Gateways only: the NAT of the site. */
  nat: NatMode | null;
  /** Gateways only: destination NATs from the WAN side. */
  forwards: PlannedForward[];
  /** Gateways only: the site's LAN, e.g. 198.19.2.0/24. */
  lanPrefix: string | null;
}

/** The whole lab for a scenario. */
export interface LabPlan {
  scenario: string;
  hosts: PlannedHost[];
}

const hex = (n: number): string => n.toString(16).padStart(2, '0');

/** The lab's IPv6 public net: one /64 of the documentation prefix, on the public bridge (inside the namespaces only). */
export const IPV6_PREFIX = '2001:db8::';
export const IPV6_PREFIX_LEN = 64;

/** Validates a scenario and assigns namespaces, addresses and MACs. Pure. */
export function planScenario(scenario: Scenario): LabPlan {
  const hosts: PlannedHost[] = [];
  if (scenario.sites.length > 200) throw new Error('at most 200 sites');
  scenario.sites.forEach((site, index) => {
    const s = index + 1;
    if (site.hosts.length === 0 || site.hosts.length > 200) throw new Error(`site ${site.name}: 1 to 200 hosts`);
    if (site.kind === 'cloud') {
      site.hosts.forEach((h, i) => {
        hosts.push({
          name: h.name,
          site: 'cloud',
          siteName: site.name,
          siteKind: 'cloud',
          namespace: PREFIX + h.name,
          publicAddress: `198.18.${s}.${10 + i}`,
          privateAddress: null,
          ipv6Address: site.ipv6 ? `${IPV6_PREFIX}${s}:${10 + i}` : null,
          gateway: null,
          mtu: h.mtu ?? DEFAULT_MTU,
          mac: `02:53:57:${hex(s)}:00:${hex(i + 1)}`,
          firewall: h.firewall ?? [],
          nat: null,
          forwards: [],
          lanPrefix: null,
        });
      });
      return;
    }
    const gwName = site.gateway?.name ?? `${site.name}-gw`;
    const lanPrefix = `198.19.${s}.0/${LAN_PREFIX_LEN}`;
    const members = site.hosts.map((h, i) => ({ spec: h, address: `198.19.${s}.${10 + i}`, index: i }));
    const forwards: PlannedForward[] =
      site.kind === 'datacenter'
        ? (site.forwards ?? []).map((f) => {
            const target = members.find((m) => m.spec.name === f.to);
            if (!target) throw new Error(`site ${site.name}: forward to unknown host ${f.to}`);
            return { proto: f.proto, port: checkPort(f.port), to: f.to, toAddress: target.address, toPort: checkPort(f.toPort ?? f.port) };
          })
        : [];
    hosts.push({
      name: gwName,
      site: 'gateway',
      siteName: site.name,
      siteKind: site.kind,
      namespace: PREFIX + gwName,
      publicAddress: `198.18.${s}.1`,
      privateAddress: `198.19.${s}.1`,
      ipv6Address: null,
      gateway: null,
      mtu: site.gateway?.mtu ?? DEFAULT_MTU,
      mac: `02:53:57:${hex(s)}:fe:01`,
      firewall: site.gateway?.firewall ?? [],
      nat: site.kind === 'edge' ? site.nat : 'port-preserving',
      forwards,
      lanPrefix,
    });
    for (const m of members) {
      hosts.push({
        name: m.spec.name,
        site: site.kind,
        siteName: site.name,
        siteKind: site.kind,
        namespace: PREFIX + m.spec.name,
        publicAddress: null,
        privateAddress: m.address,
        ipv6Address: null,
        gateway: gwName,
        mtu: m.spec.mtu ?? DEFAULT_MTU,
        mac: `02:53:57:${hex(s)}:01:${hex(m.index + 1)}`,
        firewall: m.spec.firewall ?? [],
        nat: null,
        forwards: [],
        lanPrefix: null,
      });
    }
  });
  validate(scenario, hosts);
  return { scenario: scenario.name, hosts };
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`bad port ${port}`);
  return port;
}

function validate(scenario: Scenario, hosts: PlannedHost[]): void {
  const names = new Set<string>();
  for (const h of hosts) {
    if (!HOST_NAME_RE.test(h.name)) throw new Error(`host name "${h.name}" must match ${HOST_NAME_RE}`);
    if (h.name === DESKTOP || h.name === 'inet') throw new Error(`host name "${h.name}" is reserved`);
    if (names.has(h.name)) throw new Error(`duplicate host name "${h.name}"`);
    names.add(h.name);
    if (h.mtu < 1280 || h.mtu > 9000) throw new Error(`${h.name}: MTU ${h.mtu} outside 1280..9000`);
    for (const r of h.firewall) {
      if (r.proto === 'any' && r.port !== undefined) throw new Error(`${h.name}: a rule for any protocol cannot name a port`);
      if (r.port !== undefined) checkPort(r.port);
    }
  }
  for (const r of scenario.reachability) {
    for (const n of [r.from, r.to]) {
      if (n !== DESKTOP && !names.has(n)) throw new Error(`reachability names unknown host "${n}"`);
    }
    checkPort(r.port);
  }
}

/** Prefix length of the network a host's main address is on. */
export function prefixLength(host: PlannedHost): number {
  return host.publicAddress ? PUBLIC_PREFIX_LEN : LAN_PREFIX_LEN;
}

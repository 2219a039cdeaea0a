import { existsSync } from 'node:fs';
import type { HostLink, HostNetwork } from '../resources/kinds.js';
import { runChecked, type CommandRunner } from './command.js';

interface IpJsonAddr {
  family?: string;
  local?: string;
  prefixlen?: number;
  scope?: string;
}

interface IpJsonLink {
  ifname?: string;
  address?: string;
  link_type?: string;
  flags?: string[];
  operstate?: string;
  mtu?: number;
  addr_info?: IpJsonAddr[];
}

/** Parses `ip -j addr show`; `isPhysical(name)` says whether a link is backed by a device. */
export function parseIpAddrJson(json: string, isPhysical: (name: string) => boolean): HostLink[] {
  const raw = JSON.parse(json) as IpJsonLink[];
  return raw
    .filter((l) => typeof l.ifname === 'string')
    .map((l) => {
      const name = l.ifname as string;
      const ether = l.link_type === 'ether';
      const mac = ether && l.address && l.address !== '00:00:00:00:00:00' ? l.address.toLowerCase() : undefined;
      return {
        name,
        mac,
        physical: ether && isPhysical(name),
        up: (l.flags ?? []).includes('UP'),
        mtu: l.mtu ?? 1500,
        addresses: (l.addr_info ?? []).filter((a) => a.local && a.prefixlen !== undefined).map((a) => `${a.local}/${a.prefixlen}`),
      };
    });
}

/** Parses `ip -j route show default` output into the link names carrying it. */
export function parseDefaultRouteJson(json: string): string[] {
  const routes = JSON.parse(json || '[]') as { dev?: string }[];
  return routes.map((r) => r.dev).filter((d): d is string => typeof d === 'string');
}

/** A link is physical when the kernel shows a backing device for it. */
export function sysfsIsPhysical(name: string): boolean {
  return existsSync(`/sys/class/net/${name}/device`);
}

/** Reads the host's links, addresses and default-route links through `ip -j`. */
export async function readHostNetwork(runner: CommandRunner, isPhysical = sysfsIsPhysical): Promise<HostNetwork> {
  const links = parseIpAddrJson(await runChecked(runner, { argv: ['ip', '-j', 'addr', 'show'] }), isPhysical);
  const v4 = parseDefaultRouteJson(await runChecked(runner, { argv: ['ip', '-j', '-4', 'route', 'show', 'default'] }));
  const v6 = parseDefaultRouteJson(await runChecked(runner, { argv: ['ip', '-j', '-6', 'route', 'show', 'default'] }));
  return { links, defaultRouteLinks: [...new Set([...v4, ...v6])] };
}

/** The link whose MAC gives the node address, and whether it is the documented fallback. */
export interface IdentityLink {
  link: HostLink;
  fallback: boolean;
}

/**
 * The first physical Ethernet link by name; without one (all links virtual, e.g. veth in a
 * container) the first link with a MAC by name, flagged as a fallback. The kubespan link never counts.
 */
export function pickIdentityLink(links: readonly HostLink[], meshLink = 'kubespan'): IdentityLink | undefined {
  const candidates = links.filter((l) => l.mac && l.name !== meshLink).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const physical = candidates.find((l) => l.physical);
  if (physical) return { link: physical, fallback: false };
  const first = candidates[0];
  return first ? { link: first, fallback: true } : undefined;
}

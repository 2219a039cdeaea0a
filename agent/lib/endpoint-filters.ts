import { compareIp, formatIp, parsePrefix, prefixContains, type IpAddr, type IpPrefix } from '../shared/ip.js';

/** One entry of `filters.endpoints`: a CIDR or bare IP to include, or `!CIDR` to exclude. */
export interface EndpointFilter {
  exclude: boolean;
  prefix: IpPrefix;
}

/** Parses one filter; undefined when it is neither an IP nor a CIDR (optionally after `!`). */
export function parseEndpointFilter(text: string): EndpointFilter | undefined {
  const exclude = text.startsWith('!');
  const prefix = parsePrefix(exclude ? text.slice(1) : text);
  return prefix ? { exclude, prefix } : undefined;
}

/**
 * Applies `filters.endpoints` in order, starting from an empty list: an include adds the
 * matching addresses not yet present (in input order), `!CIDR` removes matching addresses
 * added so far. Only negatives therefore yield nothing. No filters keeps every address.
 */
export function applyEndpointFilters(addresses: IpAddr[], filters: readonly EndpointFilter[]): IpAddr[] {
  if (filters.length === 0) return [...addresses];
  let out: IpAddr[] = [];
  for (const filter of filters) {
    if (filter.exclude) {
      out = out.filter((a) => !prefixContains(filter.prefix, a));
      continue;
    }
    for (const a of addresses) {
      if (prefixContains(filter.prefix, a) && !out.some((o) => compareIp(o, a) === 0)) out.push(a);
    }
  }
  return out;
}

/** Same as applyEndpointFilters over text; filters that do not parse are rejected by config validation first. */
export function filterEndpointAddresses(addresses: string[], filters: string[]): string[] {
  const parsed = filters.map((f) => {
    const filter = parseEndpointFilter(f);
    if (!filter) throw new Error(`endpoint filter '${f}' is not an IP or CIDR`);
    return filter;
  });
  const addrs = addresses.map((a) => {
    const p = parsePrefix(a);
    if (!p) throw new Error(`'${a}' is not an IP address`);
    return p.addr;
  });
  return applyEndpointFilters(addrs, parsed).map(formatIp);
}

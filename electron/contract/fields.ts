import * as z from 'zod';

/**
 * The contract's values the renderer may use: the field schemas forms check input with
 * (the backend checks every request against the same schemas) and the mesh view's code
 * tables, and the diagnosis's pure choice of the fewest nodes to open. Only zod and plain code:
 * the renderer imports values from this module alone.
 */
export { clusterNameSchema, discoveryPlacementSchema } from './clusters.js';
export { machineInputSchema, machineNameSchema, machinePatchSchema, sshTargetSchema } from './machines.js';
export { carriesCode, pairCodes, pairHealthOf, pairStateOf } from './mesh.js';
export { nodesToOpen } from './open-set.js';

const ipv4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function isIpv6(text: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const all = [...head, ...tail];
  let count = all.length;
  if (all.at(-1)?.includes('.')) {
    if (halves.length === 2 && tail.length === 0) return false;
    if (!ipv4.test(all.pop() ?? '')) return false;
    count += 1;
  }
  if (!all.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}

/** An IPv4 or IPv6 address without a zone, or `ip/bits`: what the agent's config calls a prefix. */
function isPrefix(text: string): boolean {
  const [ip = '', bits, extra] = text.split('/');
  if (extra !== undefined) return false;
  const family = ipv4.test(ip) ? 32 : isIpv6(ip) ? 128 : 0;
  if (!family) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= family);
}

/** A CIDR such as 10.244.0.0/16 or fd00::/64 (host bits may be set; they are cleared). */
export const cidrSchema = z
  .string()
  .max(64)
  .refine((s) => s.includes('/') && isPrefix(s), { error: (issue) => `'${String(issue.input)}' is not a CIDR (expected e.g. 10.244.0.0/16 or fd00::/64)` });

/** One endpoint filter: an IP or CIDR to include, `!CIDR` to exclude. */
export const endpointFilterSchema = z
  .string()
  .max(64)
  .refine((s) => isPrefix(s.startsWith('!') ? s.slice(1) : s), {
    error: (issue) => `'${String(issue.input)}' is not an IP or CIDR, optionally prefixed with '!' (e.g. 0.0.0.0/0, !192.168.0.0/16)`,
  });

/** A discovery service URL: `https://host[:port]` or `http://host:port`, IPv6 in brackets. */
export const discoveryUrlSchema = z
  .string()
  .max(255)
  .refine((s) => /^https?:\/\/[^/\s:]+(:\d{1,5})?\/?$/.test(s) || /^https?:\/\/\[[0-9a-fA-F:.]+\](:\d{1,5})?\/?$/.test(s), {
    error: (issue) => `'${String(issue.input)}' is not a discovery URL (expected https://host[:port] or http://host:port)`,
  });

/** Mesh MTU: the underlay MTU minus 80 (IPv6 outer headers), at least 1280. */
export const meshMtuSchema = z.number().int('use a whole number').min(1280, 'use at least 1280 (the IPv6 minimum)').max(9000, 'use at most 9000');

/** `filters.endpoints`: CIDRs or IPs to include, `!CIDR` to exclude, in dial order. */
export const endpointFiltersSchema = z.array(endpointFilterSchema).max(64, 'use at most 64 filters');

/** `filters.excludeAdvertisedNetworks`: CIDRs never routed through the mesh. */
export const excludedNetworksSchema = z.array(cidrSchema).max(64, 'use at most 64 networks');

/** Discovery URLs used besides the cluster's own placement (several are merged). */
export const extraDiscoveryEndpointsSchema = z.array(discoveryUrlSchema).max(8, 'use at most 8 discovery URLs');

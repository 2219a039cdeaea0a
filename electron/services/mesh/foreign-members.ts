import { parseEndpoint } from '../../../agent/shared/ip.js';
import { machineNameSchema } from '../../contract/machines.js';
import { isPrivateIp } from '../diagnosis/rules/private-endpoints.js';
import type { MeshNodeInfo } from './types.js';

/** A member the Spanwise agents peer with that is no machine of the inventory, as one agent reports it. */
export interface ForeignMember {
  /** Its WireGuard public key: what it is known by. */
  publicKey: string;
  /** The name it publishes (nodename, else hostname), as the agent's checks bounded it; '' when none. */
  label: string;
  /** The endpoint an agent reaches it at ("ip:port"), or null. */
  endpoint: string | null;
}

/**
 * The peers that are none of the nodes Spanwise manages: not one of their own keys (`ownKeys`), and not
 * labelled with a node's name (`isNode`, as peers are matched to machines by label), once per key.
 */
export function unmatchedPeers(peers: Iterable<ForeignMember>, ownKeys: ReadonlySet<string>, isNode: (name: string) => boolean): ForeignMember[] {
  const out = new Map<string, ForeignMember>();
  for (const { publicKey, label, endpoint } of peers) {
    const named = label !== '' && (isNode(label) || isNode(label.split('.')[0] as string));
    if (!ownKeys.has(publicKey) && !named && !out.has(publicKey)) out.set(publicKey, { publicKey, label, endpoint });
  }
  return [...out.values()];
}

/** The most members not managed that one view holds (a KubeSpan cluster has at most 1024 members). */
export const MAX_FOREIGN = 1024;

/** A node name from a published label: lowercased, other characters as dashes, at most 63; '' when nothing usable is left. */
export function nameFromLabel(label: string): string {
  const name = label
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
  return machineNameSchema.safeParse(name).success ? name : '';
}

/** The name of a member whose label is unusable or taken: `member-` and the first bytes of its key in hex (more when taken). */
function keyName(publicKey: string, taken: ReadonlySet<string>): string {
  const hex = Buffer.from(publicKey, 'base64').toString('hex');
  for (let size = 10; size < hex.length; size += 2) if (!taken.has(`member-${hex.slice(0, size)}`)) return `member-${hex.slice(0, size)}`;
  return `member-${hex.slice(0, 56)}`;
}

/** Where a member not managed probably sits, from the endpoint the agents reach it at: `cloud` for a public address, else `edge`. */
function guessSite(endpoint: string | null): MeshNodeInfo['site'] {
  const parsed = endpoint ? parseEndpoint(endpoint) : undefined;
  return parsed && !isPrivateIp(parsed.addr) ? 'cloud' : 'edge';
}

/**
 * The nodes for members not managed, sorted by name: each named by its label
 * (or its key when the label is unusable, or taken by a machine or another
 * member), keeping the name and site it had in `previous` so the view is stable.
 */
export function foreignNodes(members: Iterable<ForeignMember>, managed: readonly MeshNodeInfo[], previous: readonly MeshNodeInfo[] = []): MeshNodeInfo[] {
  const taken = new Set(managed.map((n) => n.name));
  const before = new Map(previous.filter((n) => n.publicKey).map((n) => [n.publicKey as string, n]));
  const unique = [...new Map([...members].map((m) => [m.publicKey, m])).values()].slice(0, MAX_FOREIGN);
  const kept = unique.flatMap((m) => before.get(m.publicKey) ?? []).filter((n) => !taken.has(n.name));
  for (const n of kept) taken.add(n.name);
  const fresh = unique
    .filter((m) => !kept.some((n) => n.publicKey === m.publicKey))
    .sort((a, b) => a.publicKey.localeCompare(b.publicKey))
    .map((m): MeshNodeInfo => {
      const label = nameFromLabel(m.label);
      const name = label && !taken.has(label) ? label : keyName(m.publicKey, taken);
      taken.add(name);
      return { name, site: guessSite(m.endpoint), role: 'worker', managed: false, publicKey: m.publicKey };
    });
  return [...kept, ...fresh].sort((a, b) => a.name.localeCompare(b.name));
}

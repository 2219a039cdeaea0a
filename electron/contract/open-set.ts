import type { SiteKind } from './machines.js';

/** Cost of opening a node by site: cloud nodes first, then datacenter, edge last. */
export const siteCost: Record<SiteKind, number> = { cloud: 1, datacenter: 2, edge: 3 };

/** Exact search up to this many nodes in pairs without an inbound end; greedy above. */
export const EXACT_LIMIT = 20;

/**
 * The fewest nodes to open (accept UDP 51820 inbound) so that every given
 * pair has at least one end that accepts it: a minimum vertex cover of the
 * pairs, ties broken by site cost (cloud < datacenter < edge) and then by name.
 * Exact (subsets by bitmask) for up to EXACT_LIMIT nodes involved; above that,
 * greedy: repeatedly open the node covering the most uncovered pairs (cheapest
 * site first), then drop nodes that became redundant. Pure.
 */
export function nodesToOpen(pairs: Array<[string, string]>, site: (node: string) => SiteKind): string[] {
  const nodes = [...new Set(pairs.flat())].sort((a, b) => siteCost[site(a)] - siteCost[site(b)] || a.localeCompare(b));
  if (nodes.length === 0) return [];
  const index = new Map(nodes.map((n, i) => [n, i]));
  const edges = pairs.map(([a, b]) => [index.get(a) as number, index.get(b) as number] as const).filter(([a, b]) => a !== b);
  return (nodes.length <= EXACT_LIMIT ? exact(nodes, edges, site) : greedy(nodes, edges, site)).map((i) => nodes[i] as string).sort();
}

function exact(nodes: string[], edges: ReadonlyArray<readonly [number, number]>, site: (node: string) => SiteKind): number[] {
  const n = nodes.length;
  const neighbours = new Array<number>(n).fill(0);
  for (const [a, b] of edges) {
    neighbours[a] = (neighbours[a] as number) | (1 << b);
    neighbours[b] = (neighbours[b] as number) | (1 << a);
  }
  const cost = nodes.map((v) => siteCost[site(v)]);
  let best = -1;
  let bestSize = Infinity;
  let bestCost = Infinity;
  for (let set = 0; set < 1 << n; set += 1) {
    let size = 0;
    let total = 0;
    let covers = true;
    for (let v = 0; v < n && covers; v += 1) {
      if (set & (1 << v)) {
        size += 1;
        total += cost[v] as number;
      } else if (((neighbours[v] as number) & ~set) !== 0) covers = false;
    }
    if (covers && (size < bestSize || (size === bestSize && total < bestCost))) {
      best = set;
      bestSize = size;
      bestCost = total;
    }
  }
  return nodes.map((_, v) => v).filter((v) => best & (1 << v));
}

function greedy(nodes: string[], edges: ReadonlyArray<readonly [number, number]>, site: (node: string) => SiteKind): number[] {
  const chosen = new Set<number>();
  const uncovered = new Set(edges.map((_, i) => i));
  while (uncovered.size > 0) {
    const degree = new Map<number, number>();
    for (const i of uncovered) for (const v of edges[i] as readonly number[]) degree.set(v, (degree.get(v) ?? 0) + 1);
    const [pick] = [...degree.entries()].sort(
      (x, y) => y[1] - x[1] || siteCost[site(nodes[x[0]] as string)] - siteCost[site(nodes[y[0]] as string)] || x[0] - y[0],
    )[0] as [number, number];
    chosen.add(pick);
    for (const i of [...uncovered]) if ((edges[i] as readonly number[]).includes(pick)) uncovered.delete(i);
  }
  for (const v of [...chosen].sort((a, b) => siteCost[site(nodes[b] as string)] - siteCost[site(nodes[a] as string)])) {
    chosen.delete(v);
    if (!edges.every(([a, b]) => chosen.has(a) || chosen.has(b))) chosen.add(v);
  }
  return [...chosen];
}

import type { DiagnosisReport, ReachabilityMatrix, SiteKind } from '../../electron/contract/index.js';
import { nodesToOpen } from '../../electron/contract/fields.js';
import type { BlockedFlow, Cause, PortKey } from './cause.js';

/** A pair's predicted state: `fragile` is up only because one side dials out (one direction blocked, or hole punching). */
export type PredictedPair = 'up' | 'fragile' | 'down' | 'unknown';

/** What the mesh would look like with some walls switched off. */
export interface Prediction {
  matrix: Record<PortKey, ReachabilityMatrix>;
  /** Pair states as codes into `predictedStates`, at `i * n + j` and `j * n + i` for nodes i and j of the n predicted over. */
  codes: Uint8Array;
  /** An unordered pair's state by the nodes' indexes in the list predicted over. */
  at(i: number, j: number): PredictedPair;
  /** An unordered pair's state by the nodes' names ('unknown' for a node not predicted over). */
  pair(a: string, b: string): PredictedPair;
  /** How many pairs are in each state. */
  counts: Record<PredictedPair, number>;
  /** 0..100: up pairs count whole, fragile pairs half. */
  score: number;
  /** The blocked directions the switched-off walls let through. */
  opened: BlockedFlow[];
}

/** The states in the order of their codes in `Prediction.codes`. */
export const predictedStates: readonly PredictedPair[] = ['up', 'fragile', 'down', 'unknown'];
const states = predictedStates;

/** A pair's state from its two UDP 51820 directions; `upNow` says whether it is up today (then hole punching holds it). */
export function pairFromReach(ab: string | undefined, ba: string | undefined, upNow: () => boolean): PredictedPair {
  const open = (ab === 'open' ? 1 : 0) + (ba === 'open' ? 1 : 0);
  if (open === 2) return 'up';
  if (open === 1) return ab === 'blocked' || ba === 'blocked' ? 'fragile' : 'up';
  if (upNow()) return 'fragile';
  return ab === 'blocked' || ba === 'blocked' ? 'down' : 'unknown';
}

/**
 * The diagnosis's matrices with every direction that a switched-off wall drops
 * let through, each pair's state from them, and the score. With nothing switched
 * off it is the diagnosis as it stands. `upNow` takes the nodes' indexes. Pure.
 */
export function predict(
  report: DiagnosisReport,
  cause: Cause,
  off: ReadonlySet<string>,
  nodes: readonly string[],
  upNow: (i: number, j: number) => boolean,
): Prediction {
  const opened = off.size === 0 ? [] : cause.flows.filter((f) => off.has(f.wall));
  const matrix = { udp51820: { ...report.matrix.udp51820 }, tcp50000: { ...report.matrix.tcp50000 } };
  const copied = new Set<string>();
  for (const f of opened) {
    const rowKey = `${f.key}:${f.from}`;
    if (!copied.has(rowKey)) matrix[f.key][f.from] = { ...matrix[f.key][f.from] };
    copied.add(rowKey);
    (matrix[f.key][f.from] as Record<string, 'open'>)[f.to] = 'open';
  }
  const n = nodes.length;
  const codes = new Uint8Array(n * n).fill(3);
  const counts = { up: 0, fragile: 0, down: 0, unknown: 0 };
  const rows = nodes.map((a) => matrix.udp51820[a] ?? {});
  for (let i = 0; i < n; i++) {
    const a = nodes[i] as string;
    const row = rows[i] as Record<string, string>;
    for (let j = i + 1; j < n; j++) {
      const ab = row[nodes[j] as string];
      const ba = (rows[j] as Record<string, string>)[a];
      const state = ab === 'open' && ba === 'open' ? 'up' : pairFromReach(ab, ba, () => upNow(i, j));
      const code = states.indexOf(state);
      codes[i * n + j] = code;
      codes[j * n + i] = code;
      counts[state] += 1;
    }
  }
  const index = new Map(nodes.map((name, i) => [name, i]));
  const at = (i: number, j: number) => states[codes[i * n + j] ?? 3] as PredictedPair;
  const pair = (a: string, b: string) => {
    const [i, j] = [index.get(a), index.get(b)];
    return i === undefined || j === undefined ? 'unknown' : at(i, j);
  };
  const total = (n * (n - 1)) / 2;
  return { matrix, codes, at, pair, counts, score: total === 0 ? 100 : Math.round((100 * (counts.up + counts.fragile / 2)) / total), opened };
}

/**
 * The diagnosis's fewest nodes to open (every pair with UDP 51820 blocked both
 * ways gets an inbound end; cloud before datacenter before edge), and the walls
 * that stop UDP 51820 into them: what to switch off to try it.
 */
export function fewestToOpen(
  report: DiagnosisReport,
  cause: Cause,
  nodes: ReadonlyArray<{ name: string; site: SiteKind }>,
): { nodes: string[]; walls: string[] } {
  const udp = report.matrix.udp51820;
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < nodes.length; i++)
    for (let j = i + 1; j < nodes.length; j++) {
      const [a, b] = [(nodes[i] as { name: string }).name, (nodes[j] as { name: string }).name];
      if (udp[a]?.[b] === 'blocked' && udp[b]?.[a] === 'blocked') pairs.push([a, b]);
    }
  const site = new Map(nodes.map((n) => [n.name, n.site]));
  const open = nodesToOpen(pairs, (n) => site.get(n) ?? 'cloud');
  const into = new Set(open);
  return { nodes: open, walls: [...new Set(cause.flows.filter((f) => f.key === 'udp51820' && into.has(f.to)).map((f) => f.wall))] };
}

import type { DiagnosisReport, ReachabilityMatrix, SiteKind } from '../../electron/contract/index.js';
import { nodesToOpen } from '../../electron/contract/fields.js';
import type { BlockedFlow, Cause, PortKey } from './cause.js';
import { reachCodes, reachGrid } from './reach-grid.js';

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

/** A pair's state code (its index in `predictedStates`) from its two UDP 51820 directions' reach codes, -1 where neither is open (then it is fragile if up now, by hole punching). */
export function pairCode(ab: number, ba: number): number {
  const open = (ab === reachCodes.open ? 1 : 0) + (ba === reachCodes.open ? 1 : 0);
  if (open === 0) return -1;
  return open === 1 && (ab === reachCodes.blocked || ba === reachCodes.blocked) ? 1 : 0;
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
  const n = nodes.length;
  const index = new Map(nodes.map((name, i) => [name, i]));
  let udp = reachGrid(report, nodes).udp51820;
  if (opened.length > 0) udp = udp.slice();
  const copied = new Set<string>();
  for (const f of opened) {
    const rowKey = `${f.key}:${f.from}`;
    if (!copied.has(rowKey)) matrix[f.key][f.from] = { ...matrix[f.key][f.from] };
    copied.add(rowKey);
    (matrix[f.key][f.from] as Record<string, 'open'>)[f.to] = 'open';
    const [i, j] = [index.get(f.from), index.get(f.to)];
    if (f.key === 'udp51820' && i !== undefined && j !== undefined) udp[i * n + j] = reachCodes.open;
  }
  const codes = new Uint8Array(n * n).fill(3);
  const tally = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const ab = udp[i * n + j] as number;
      const ba = udp[j * n + i] as number;
      let code = pairCode(ab, ba);
      if (code < 0) code = upNow(i, j) ? 1 : ab === reachCodes.blocked || ba === reachCodes.blocked ? 2 : 3;
      codes[i * n + j] = code;
      codes[j * n + i] = code;
      tally[code] = (tally[code] as number) + 1;
    }
  }
  const [up = 0, fragile = 0, down = 0, unknown = 0] = tally;
  const at = (i: number, j: number) => states[codes[i * n + j] ?? 3] as PredictedPair;
  const pair = (a: string, b: string) => {
    const [i, j] = [index.get(a), index.get(b)];
    return i === undefined || j === undefined ? 'unknown' : at(i, j);
  };
  const total = (n * (n - 1)) / 2;
  return { matrix, codes, at, pair, counts: { up, fragile, down, unknown }, score: total === 0 ? 100 : Math.round((100 * (up + fragile / 2)) / total), opened };
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
  const names = nodes.map((n) => n.name);
  const udp = reachGrid(report, names).udp51820;
  const n = names.length;
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++)
      if (udp[i * n + j] === reachCodes.blocked && udp[j * n + i] === reachCodes.blocked) pairs.push([names[i] as string, names[j] as string]);
  const site = new Map(nodes.map((n) => [n.name, n.site]));
  const open = nodesToOpen(pairs, (n) => site.get(n) ?? 'cloud');
  const into = new Set(open);
  return { nodes: open, walls: [...new Set(cause.flows.filter((f) => f.key === 'udp51820' && into.has(f.to)).map((f) => f.wall))] };
}

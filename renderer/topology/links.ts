import type { MeshNode } from '../../electron/contract/index.js';
import { carriesCode, pairCodes } from '../../electron/contract/fields.js';
import type { DrawnLink, LinkState } from './TopologyDrawing.js';
import { pairCode, predictedStates, type PredictedPair, type Prediction } from './what-if.js';

/** What the links read of the mesh view: its nodes and their pair codes, row-major `from * n + to`, and the relays of relayed cells. */
export interface MeshCells {
  nodes: readonly MeshNode[];
  cells: Uint8Array;
  relays?: ReadonlyMap<number, string>;
}

/** Above this many nodes healthy pairs are counted, not drawn, and links and arrows are bundled by site. */
export const allUpLimit = 40;

/**
 * A pair's state by its two cell codes (codes up to 7): down or unknown if either side says so; relayed where
 * either side goes through a relay; fragile where the health overlay marks it.
 */
const byCodes: LinkState[] = Array.from({ length: 64 }, (_, i) => {
  const [ab, ba] = [i >> 3, i & 7];
  if (ab === pairCodes.down || ba === pairCodes.down) return 'down';
  if (!carriesCode(ab) || !carriesCode(ba)) return 'unknown';
  if (ab === pairCodes.relayed || ba === pairCodes.relayed) return 'relayed';
  return ab === pairCodes.fragile || ba === pairCodes.fragile ? 'fragile' : 'up';
});

/** The mesh's own state of the pair of nodes `a` and `b` (indexes into the view's nodes). */
export function meshPair(view: MeshCells, a: number, b: number): LinkState {
  const n = view.nodes.length;
  return byCodes[(((view.cells[a * n + b] ?? 0) & 7) << 3) | ((view.cells[b * n + a] ?? 0) & 7)] as LinkState;
}

/** The relay of the pair of nodes at indexes `i` and `j`, as either end reports it; undefined when it is direct. */
function relayBetween(view: MeshCells, i: number, j: number): string | undefined {
  const n = view.nodes.length;
  return view.relays?.get(i * n + j) ?? view.relays?.get(j * n + i);
}

/** The relay a pair goes through, by the nodes' names (either direction names it); undefined when it is direct. */
export function relayOf(view: MeshCells & { index: ReadonlyMap<string, number> }, a: string, b: string): string | undefined {
  const i = view.index.get(a);
  const j = view.index.get(b);
  return i === undefined || j === undefined ? undefined : relayBetween(view, i, j);
}

/** Whether a pair in this state carries traffic now. */
export const isUp = (s: LinkState): boolean => s === 'up' || s === 'fragile' || s === 'relayed';

/**
 * Every pair to draw with its state: predicted under a what-if, else the mesh's, fragile
 * where the diagnosis's UDP 51820 matrix (`udp`, codes by the view's node indexes) has a
 * direction of an up pair blocked or neither open; healthy pairs only up to allUpLimit nodes; a relayed
 * pair with its relay (`via`), drawn through it.
 * One pass over the cells with no call per pair: it runs on the screen's first paint.
 */
export function linksOf(view: MeshCells, udp: Uint8Array | null, whatIf: Prediction | null): { links: DrawnLink[]; hiddenUp: number } {
  const nodes = view.nodes;
  const n = nodes.length;
  const cells = view.cells;
  const told = whatIf?.codes;
  const hideUp = n > allUpLimit;
  const links: DrawnLink[] = [];
  let hiddenUp = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      let state = byCodes[(((cells[a * n + b] ?? 0) & 7) << 3) | ((cells[b * n + a] ?? 0) & 7)] as LinkState;
      if (told) state = predictedStates[told[a * n + b] ?? 3] as PredictedPair;
      else if (state === 'up' && udp && pairCode(udp[a * n + b] as number, udp[b * n + a] as number) !== 0) state = 'fragile';
      const via = state === 'relayed' ? relayBetween(view, a, b) : undefined;
      if (state === 'up' && hideUp) hiddenUp += 1;
      else links.push({ a: (nodes[a] as MeshNode).name, b: (nodes[b] as MeshNode).name, state, ...(via ? { via } : {}) });
    }
  }
  return { links, hiddenUp };
}

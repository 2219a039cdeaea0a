import type { ReachabilityMatrix } from '../../electron/contract/index.js';
import { reachCodes } from '../states.js';
import type { MatrixData } from './draw.js';

/**
 * Packs a diagnosis reachability matrix into canvas cells. Rows are the probing
 * side (the `desktop` row first when present), columns the probed node.
 */
export function reachabilityData(matrix: ReachabilityMatrix, nodes: string[], siteOf: (name: string) => string): MatrixData {
  const rows = [...(matrix.desktop ? ['desktop'] : []), ...nodes];
  const cells = new Uint8Array(rows.length * nodes.length);
  rows.forEach((from, r) => {
    nodes.forEach((to, c) => {
      const value = from === to ? 'self' : (matrix[from]?.[to] ?? 'unknown');
      cells[r * nodes.length + c] = reachCodes[value];
    });
  });
  return { rows, cols: nodes, rowTones: rows.map((name) => (name === 'desktop' ? 'desktop' : siteOf(name))), colTones: nodes.map(siteOf), cells };
}

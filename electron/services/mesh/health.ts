/**
 * Health of one node, 0..100: the share of its ordered pairs, in both
 * directions, that are up, out of those the agents can see: `rowCells` pairs
 * it reports (none for a member Spanwise does not manage) and `colCells`
 * pairs reported of it (one per other managed node). An unreachable agent's
 * own row is unknown, so such a node scores at most half. A lone node scores
 * 100 when its agent answers.
 */
export function nodeHealth(rowUp: number, colUp: number, rowCells: number, colCells: number, agentReachable: boolean): number {
  if (rowCells + colCells === 0) return agentReachable ? 100 : 0;
  return Math.round((100 * (rowUp + colUp)) / (rowCells + colCells));
}

/** Health of the cluster, 0..100: the share of the ordered pairs the agents can see (`cells`) that are up. */
export function clusterHealth(totalUp: number, cells: number, anyAgentReachable: boolean): number {
  if (cells === 0) return anyAgentReachable ? 100 : 0;
  return Math.round((100 * totalUp) / cells);
}

/**
 * Health of one node, 0..100: the share of its ordered pairs, in both
 * directions, that are up. An unreachable agent's own row is unknown, so such
 * a node scores at most 50 (what its peers see of it). A lone node scores 100
 * when its agent answers.
 */
export function nodeHealth(rowUp: number, colUp: number, n: number, agentReachable: boolean): number {
  if (n <= 1) return agentReachable ? 100 : 0;
  return Math.round((100 * (rowUp + colUp)) / (2 * (n - 1)));
}

/** Health of the cluster, 0..100: the share of all ordered pairs that are up. */
export function clusterHealth(totalUp: number, n: number, anyAgentReachable: boolean): number {
  if (n <= 1) return n === 1 && anyAgentReachable ? 100 : 0;
  return Math.round((100 * totalUp) / (n * (n - 1)));
}

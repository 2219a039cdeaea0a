/** Called when the slices move to another cluster (null: none selected). */
export type ClusterChangeListener = (cluster: string | null) => void;

let scope: string | null | undefined;
let epoch = 0;
const listeners = new Set<ClusterChangeListener>();

/**
 * Which cluster the per-cluster slices hold. Each such slice registers here
 * how to forget what it holds; `enterCluster` runs them all when the cluster
 * changes (told by the cluster list, or by a mesh view of another cluster).
 */
export function onClusterChange(listener: ClusterChangeListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Moves the slices to `cluster`; the first call only records it (nothing is held yet). */
export function enterCluster(cluster: string | null): void {
  if (scope === cluster) return;
  const first = scope === undefined;
  scope = cluster;
  if (first) return;
  epoch += 1;
  for (const listener of [...listeners]) listener(cluster);
}

/** The cluster the slices hold (undefined until the first is known). */
export function clusterInScope(): string | null | undefined {
  return scope;
}

/**
 * Taken before a request: afterwards it tells whether the slices still hold
 * the same cluster, so an answer about the previous cluster is dropped.
 */
export function sameCluster(): () => boolean {
  const at = epoch;
  return () => epoch === at;
}

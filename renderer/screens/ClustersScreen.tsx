import { useEffect, useState } from 'react';
import type { ClusterSummary, DiscoveryPlacement, ErrorEnvelope } from '../../electron/contract/index.js';
import { ClusterForm } from '../components/ClusterForm.js';
import { Dialog } from '../components/Dialog.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { useClustersStore } from '../store/clusters-slice.js';

/** Where discovery runs, in words. */
export function describeDiscovery(d: DiscoveryPlacement): string {
  if (d.mode === 'url') return `external: ${d.url}`;
  if (d.mode === 'embedded') return `in this app, port ${d.port}`;
  return `on ${d.node ?? 'the first open cloud node'}, port ${d.port}`;
}

/** Clusters: create, pick the current one, delete; shows where each runs discovery. */
export function ClustersScreen() {
  const { clusters, loaded, error, load, select, remove } = useClustersStore();
  const [deleting, setDeleting] = useState<ClusterSummary | null>(null);
  const [deleteError, setDeleteError] = useState<ErrorEnvelope | null>(null);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <div className="stack">
      <section className="panel" aria-labelledby="clusters-title">
        <h2 id="clusters-title">Clusters</h2>
        {error && <ErrorNote error={error} />}
        {deleteError && <ErrorNote error={deleteError} />}
        {loaded && clusters.length === 0 && <p className="muted">No clusters yet. Create one below.</p>}
        {clusters.length > 0 && (
          <table className="table" data-testid="cluster-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Current</th>
                <th scope="col">Machines</th>
                <th scope="col">Discovery</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {clusters.map((c) => (
                <tr key={c.name} aria-current={c.current ? 'true' : undefined}>
                  <th scope="row">{c.name}</th>
                  <td>{c.current ? '✓ current' : ''}</td>
                  <td>{c.machineCount}</td>
                  <td>{describeDiscovery(c.discovery)}</td>
                  <td>{new Date(c.createdAt).toLocaleString()}</td>
                  <td className="buttons">
                    {!c.current && (
                      <button type="button" onClick={() => void select(c.name)}>
                        Use {c.name}
                      </button>
                    )}
                    <button type="button" className="danger" onClick={() => setDeleting(c)}>
                      Delete…
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <ClusterForm />
      <Dialog
        title={`Delete ${deleting?.name ?? ''}?`}
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        testId="delete-cluster-dialog"
        actions={
          <>
            <button type="button" onClick={() => setDeleting(null)}>
              Keep it
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => {
                const name = deleting?.name;
                setDeleting(null);
                if (name) void remove(name).then(setDeleteError);
              }}
            >
              Delete cluster
            </button>
          </>
        }
      >
        <p>This forgets the cluster, its secret and its {deleting?.machineCount ?? 0} machines in this app. Agents on the hosts keep running until removed.</p>
      </Dialog>
    </div>
  );
}

import { useEffect, useState } from 'react';
import type { AppInfo, ClusterSummary, DiscoveryPlacement, ErrorEnvelope } from '../../electron/contract/index.js';
import { ClusterForm } from '../components/ClusterForm.js';
import { Dialog } from '../components/Dialog.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { TalosPatchPanel } from '../components/TalosPatchPanel.js';
import { useAppStore } from '../store/app-slice.js';
import { useClustersStore } from '../store/clusters-slice.js';

/** Where discovery runs, in words. */
export function describeDiscovery(d: DiscoveryPlacement): string {
  if (d.mode === 'url') return `external: ${d.url}`;
  if (d.mode === 'embedded') return `in this app, port ${d.port}${d.address ? `, nodes use ${d.address}` : ''}`;
  return `on ${d.node ?? 'the first open cloud node'}, port ${d.port}`;
}

/** The state of the discovery this app runs for the current cluster, in words. */
export function describeEmbedded(s: NonNullable<AppInfo['discovery']>): string {
  if (s.state === 'running') return `running on :${s.port}, ${s.affiliates} member${s.affiliates === 1 ? '' : 's'} registered`;
  if (s.state === 'elsewhere') return `served on :${s.port} by another Spanwise process on this data dir`;
  if (s.state === 'failed') return `not running: ${s.error?.message ?? 'it did not start'}${s.error?.hint ? ` (fix: ${s.error.hint})` : ''}`;
  return 'stopped';
}

/** Clusters: create, pick the current one, delete; shows where each runs discovery. */
export function ClustersScreen() {
  const { clusters, loaded, error, load, select, remove } = useClustersStore();
  const [deleting, setDeleting] = useState<ClusterSummary | null>(null);
  const [deleteError, setDeleteError] = useState<ErrorEnvelope | null>(null);
  const embedded = useAppStore((s) => s.info?.discovery ?? null);
  const loadInfo = useAppStore((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);
  const current = clusters.find((c) => c.current);
  const embeddedCurrent = current?.discovery.mode === 'embedded';
  useEffect(() => {
    void loadInfo();
    if (!embeddedCurrent) return undefined;
    const timer = setInterval(() => void loadInfo(), 5000);
    return () => clearInterval(timer);
  }, [loadInfo, clusters, embeddedCurrent]);
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
                  <td>
                    {describeDiscovery(c.discovery)}
                    {c.current && embedded?.cluster === c.name && (
                      <div className={embedded.state === 'failed' ? 'error' : 'muted'} data-testid="embedded-discovery">
                        {describeEmbedded(embedded)}
                      </div>
                    )}
                  </td>
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
      {current && <TalosPatchPanel cluster={current.name} />}
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

import { useEffect } from 'react';
import { useMembersStore } from '../store/members-slice.js';
import { ErrorNote } from './ErrorNote.js';

/**
 * Every member the cluster's discovery service knows, decrypted by the backend: the
 * nodes onboarded here and the ones that joined otherwise (Talos nodes, for instance).
 */
export function MembersPanel({ cluster }: { cluster: string | undefined }) {
  const { members, loading, error, load } = useMembersStore();
  useEffect(() => {
    if (cluster) void load();
  }, [cluster, load]);
  const outside = members?.members.filter((m) => m.machine === null).length ?? 0;
  return (
    <section className="panel" aria-labelledby="members-title" data-testid="members">
      <div className="panel-head">
        <h3 id="members-title">
          Discovery members{' '}
          {members && (
            <span className="muted">
              ({members.members.length}, {outside} not onboarded here)
            </span>
          )}
        </h3>
        <button type="button" onClick={() => void load()} disabled={loading}>
          {loading ? 'Asking discovery…' : 'Ask discovery again'}
        </button>
      </div>
      {error && <ErrorNote error={error} />}
      {members && members.members.length === 0 && <p className="muted">No members registered in {members.discovery} yet.</p>}
      {members && members.members.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Machine here</th>
              <th scope="col">OS (as published)</th>
              <th scope="col">Mesh address</th>
              <th scope="col">Endpoints</th>
            </tr>
          </thead>
          <tbody>
            {members.members.map((m, i) => (
              <tr key={`${m.publicKey ?? m.status}-${i}`}>
                <th scope="row">{m.nodename || m.hostname || (m.status === 'undecryptable' ? '✕ not readable with this secret' : '? no data')}</th>
                <td>
                  {m.machine ?? (
                    <span className="badge" title="joined elsewhere: Spanwise sees it only through its own agents">
                      not managed
                    </span>
                  )}
                </td>
                <td>{m.operatingSystem || '—'}</td>
                <td>
                  <code>{m.meshAddress ?? '—'}</code>
                </td>
                <td>
                  <code>{m.endpoints.join(', ') || '—'}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {members && <p className="muted">From {members.discovery}, decrypted on this machine with the cluster secret.</p>}
    </section>
  );
}

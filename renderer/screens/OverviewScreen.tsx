import { useEffect, useMemo } from 'react';
import type { SiteKind } from '../../electron/contract/index.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { SetupChecklist } from '../components/SetupChecklist.js';
import { MembersPanel } from '../components/MembersPanel.js';
import { StateBadge } from '../components/StateBadge.js';
import { formatHealth } from '../format.js';
import { currentCluster, useClustersStore } from '../store/clusters-slice.js';
import { useMeshStore } from '../store/mesh-slice.js';
import { useNavStore } from '../store/nav-slice.js';
import { meanHealth, nodeRows, type NodeRow } from '../store/node-rows.js';
import { useStatusStore } from '../store/status-slice.js';

const siteOrder: Array<{ kind: SiteKind; label: string }> = [
  { kind: 'edge', label: 'Edge' },
  { kind: 'datacenter', label: 'Datacenter' },
  { kind: 'cloud', label: 'Cloud' },
];

function NodeCard({ row, onOpen }: { row: NodeRow; onOpen(): void }) {
  return (
    <li>
      <button
        type="button"
        className={`node-card site-${row.site}`}
        onClick={onOpen}
        aria-label={`${row.name}: agent ${row.reachable ? 'reachable' : 'unreachable'}; open node detail`}
      >
        <span className="node-name">{row.name}</span>
        <StateBadge
          state={row.reachable ? 'up' : 'down'}
          text={row.reachable ? `agent ${row.via === 'ssh-tunnel' ? 'via SSH' : 'direct'}` : 'agent unreachable'}
        />
        <span className="node-facts">
          <span>{row.role}</span>
          <span>{row.address ?? 'no address'}</span>
          <span>{row.version ? `v${row.version}` : 'version ?'}</span>
          <span>{row.health === null ? 'health ?' : `health ${Math.round(row.health)}`}</span>
        </span>
      </button>
    </li>
  );
}

/** The cluster at a glance: nodes grouped by site kind with state, agent version and address, and a health score. */
export function OverviewScreen() {
  const cluster = useClustersStore(currentCluster);
  const { status, error, loading, load } = useStatusStore();
  const meshNodes = useMeshStore((s) => s.view?.nodes);
  const clusterHealth = useMeshStore((s) => s.view?.clusterHealth);
  const meshError = useMeshStore((s) => s.error);
  const loadMesh = useMeshStore((s) => s.load);
  const go = useNavStore((s) => s.go);
  useEffect(() => {
    void load();
    void loadMesh();
  }, [load, loadMesh, cluster?.name]);
  const rows = useMemo(() => nodeRows(meshNodes, status), [meshNodes, status]);
  const score = clusterHealth ?? meanHealth(rows);
  const reachable = rows.filter((r) => r.reachable).length;

  return (
    <div className="stack">
      <SetupChecklist />
      <section className="panel" aria-labelledby="overview-title">
        <div className="panel-head">
          <h2 id="overview-title">Overview {cluster && <span className="muted">of {cluster.name}</span>}</h2>
          <button type="button" onClick={() => void load()} disabled={loading}>
            {loading ? 'Asking agents…' : 'Ask agents again'}
          </button>
        </div>
        {error && <ErrorNote error={error} />}
        {meshError && !meshNodes && <p className="muted">Live mesh view unavailable: {meshError.message}</p>}
        <div className="stats">
          <div className="stat" data-testid="cluster-health">
            <span className="stat-value">{score === null ? '—' : formatHealth(score)}</span>
            <span className="stat-label">cluster health</span>
          </div>
          <div className="stat">
            <span className="stat-value">{rows.length}</span>
            <span className="stat-label">nodes</span>
          </div>
          <div className="stat">
            <span className="stat-value">
              {reachable} / {rows.length}
            </span>
            <span className="stat-label">agents reachable</span>
          </div>
        </div>
      </section>
      {siteOrder.map(({ kind, label }) => {
        const group = rows.filter((r) => r.site === kind);
        return (
          <section key={kind} className={`panel site-group site-${kind}`} aria-labelledby={`site-${kind}`}>
            <h3 id={`site-${kind}`}>
              {label} <span className="muted">({group.length})</span>
            </h3>
            {group.length === 0 ? (
              <p className="muted">No {label.toLowerCase()} nodes.</p>
            ) : (
              <ul className="node-grid">
                {group.map((row) => (
                  <NodeCard key={row.name} row={row} onOpen={() => go('node', row.name)} />
                ))}
              </ul>
            )}
          </section>
        );
      })}
      <MembersPanel cluster={cluster?.name} />
    </div>
  );
}

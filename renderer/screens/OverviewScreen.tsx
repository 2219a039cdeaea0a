import { useEffect, useMemo } from 'react';
import type { ClusterHealth, NodeHealth, SiteKind } from '../../electron/contract/index.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { SetupChecklist } from '../components/SetupChecklist.js';
import { SeverityBadge } from '../components/FindingSummary.js';
import { FixBox } from '../components/FixBox.js';
import { MembersPanel } from '../components/MembersPanel.js';
import { StateBadge } from '../components/StateBadge.js';
import { formatHealth } from '../format.js';
import { currentCluster, useClustersStore } from '../store/clusters-slice.js';
import { useHealthStore } from '../store/health-slice.js';
import { useMeshStore } from '../store/mesh-slice.js';
import { useNavStore } from '../store/nav-slice.js';
import { meanHealth, nodeRows, type NodeRow } from '../store/node-rows.js';
import { useStatusStore } from '../store/status-slice.js';

const siteOrder: Array<{ kind: SiteKind; label: string }> = [
  { kind: 'edge', label: 'Edge' },
  { kind: 'datacenter', label: 'Datacenter' },
  { kind: 'cloud', label: 'Cloud' },
];

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function NodeCard({ row, health, onOpen }: { row: NodeRow; health: NodeHealth | undefined; onOpen(): void }) {
  const score = health?.score ?? row.health;
  const pairs = health?.pairs;
  return (
    <li>
      <button
        type="button"
        className={`node-card site-${row.site}`}
        onClick={onOpen}
        aria-label={`${row.name}: ${row.managed ? `agent ${row.reachable ? 'reachable' : 'unreachable'}` : 'not managed by Spanwise'}${pairs?.fragile ? `, ${plural(pairs.fragile, 'fragile pair')}` : ''}; open node detail`}
      >
        <span className="node-name">{row.name}</span>
        {row.managed ? (
          <StateBadge
            state={row.reachable ? 'up' : 'down'}
            text={row.reachable ? `agent ${row.via === 'ssh-tunnel' ? 'via SSH' : 'direct'}` : 'agent unreachable'}
          />
        ) : (
          <span className="badge">not managed</span>
        )}
        {pairs && pairs.down > 0 && <StateBadge state="down" text={plural(pairs.down, 'pair') + ' down'} />}
        {pairs && pairs.down === 0 && pairs.fragile > 0 && <StateBadge state="fragile" text={plural(pairs.fragile, 'pair') + ' fragile'} />}
        <span className="node-facts">
          <span>{row.role}</span>
          <span>{row.address ?? 'no address'}</span>
          <span>{row.version ? `v${row.version}` : 'version ?'}</span>
          <span>{score === null ? 'health ?' : `health ${Math.round(score)}`}</span>
        </span>
      </button>
    </li>
  );
}

/** What to fix first: the most severe root causes, and the first one's fix, one click from the Firewall screen. */
function TopProblems({ health }: { health: ClusterHealth }) {
  const go = useNavStore((s) => s.go);
  const top = health.causes.filter((c) => c.severity !== 'info').slice(0, 3);
  const first = top[0];
  return (
    <section className="panel" aria-labelledby="top-problems-title" data-testid="top-problems">
      <div className="panel-head">
        <h3 id="top-problems-title">Top problems</h3>
        <button type="button" onClick={() => go('firewall')}>
          Open the Firewall screen
        </button>
      </div>
      {health.diagnosedAt === null && <p className="muted">No diagnosis yet: run one on the Firewall screen to see what keeps pairs down or fragile.</p>}
      {health.diagnosedAt !== null && !first && <p>✓ No warnings or errors in the last diagnosis.</p>}
      {first && (
        <div className="top-problems">
          <ol>
            {top.map((c) => (
              <li key={c.id}>
                <SeverityBadge severity={c.severity} /> <strong>{c.title}</strong>: {c.impact}
              </li>
            ))}
          </ol>
          <FixBox remediation={first.remediation} />
        </div>
      )}
    </section>
  );
}

/** The cluster at a glance: the health model's score and top problems, then nodes grouped by site kind with state, agent version and address. */
export function OverviewScreen() {
  const cluster = useClustersStore(currentCluster);
  const { status, error, loading, load } = useStatusStore();
  const meshNodes = useMeshStore((s) => s.view?.nodes);
  const clusterHealth = useMeshStore((s) => s.view?.clusterHealth);
  const meshError = useMeshStore((s) => s.error);
  const loadMesh = useMeshStore((s) => s.load);
  const model = useHealthStore((s) => s.health);
  const loadHealth = useHealthStore((s) => s.load);
  const go = useNavStore((s) => s.go);
  useEffect(() => {
    void load();
    void loadMesh();
    void loadHealth();
  }, [load, loadMesh, loadHealth, cluster?.name]);
  const health = model && model.cluster === (cluster?.name ?? null) ? model : null;
  const rows = useMemo(() => nodeRows(meshNodes, status), [meshNodes, status]);
  const score = health?.score ?? clusterHealth ?? meanHealth(rows);
  const managed = rows.filter((r) => r.managed);
  const reachable = managed.filter((r) => r.reachable).length;
  const nodeHealth = new Map(health?.nodes.map((n) => [n.name, n]) ?? []);

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
          <div className="stat" data-testid="fragile-pairs">
            <span className="stat-value">{health ? health.pairs.fragile : '—'}</span>
            <span className="stat-label">fragile pairs (count half)</span>
          </div>
          {health && health.relayed.length > 0 && (
            <div className="stat" data-testid="relayed-pairs" title={health.relayed.map((p) => `${p.from} → ${p.to}: ${p.reason}`).join('\n')}>
              <span className="stat-value">{health.relayed.length}</span>
              <span className="stat-label">↪ relayed pairs (count as up)</span>
            </div>
          )}
          <div className="stat">
            <span className="stat-value">{rows.length}</span>
            <span className="stat-label">nodes</span>
          </div>
          <div className="stat">
            <span className="stat-value">
              {reachable} / {managed.length}
            </span>
            <span className="stat-label">agents reachable</span>
          </div>
        </div>
      </section>
      {health && rows.length > 0 && <TopProblems health={health} />}
      {siteOrder.map(({ kind, label }) => {
        const group = rows.filter((r) => r.site === kind);
        const site = health?.sites.find((s) => s.site === kind);
        return (
          <section key={kind} className={`panel site-group site-${kind}`} aria-labelledby={`site-${kind}`} data-testid={`site-${kind}`}>
            <h3 id={`site-${kind}`}>
              {label} <span className="muted">({group.length})</span>
            </h3>
            {site && (
              <p className="muted">
                health {site.score}
                {site.pairs.fragile > 0 && ` · ${site.pairs.fragile} fragile`}
                {site.pairs.down > 0 && ` · ${site.pairs.down} down`}
              </p>
            )}
            {group.length === 0 ? (
              <p className="muted">No {label.toLowerCase()} nodes.</p>
            ) : (
              <ul className="node-grid">
                {group.map((row) => (
                  <NodeCard key={row.name} row={row} health={nodeHealth.get(row.name)} onOpen={() => go('node', row.name)} />
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

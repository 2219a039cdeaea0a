import { useEffect, useMemo } from 'react';
import { pairCodes } from '../../electron/contract/fields.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { StateLegend } from '../components/StateBadge.js';
import { useMeshStore, type MeshView } from '../store/mesh-slice.js';
import { useNavStore } from '../store/nav-slice.js';
import { codeState, stateLooks, type ShownState } from '../states.js';
import { layoutTopology } from '../topology/layout.js';

/** A link between two nodes: both directions' states. */
interface Link {
  a: number;
  b: number;
  ab: ShownState;
  ba: ShownState;
}

const allUpLimit = 40;
const siteLabels = { edge: 'Edge', datacenter: 'Datacenter', cloud: 'Cloud' } as const;

function linksOf(view: MeshView): { links: Link[]; hiddenUp: number } {
  const n = view.nodes.length;
  const links: Link[] = [];
  let hiddenUp = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const ab = codeState(view.cells[a * n + b] ?? pairCodes.unknown);
      const ba = codeState(view.cells[b * n + a] ?? pairCodes.unknown);
      if (ab === 'up' && ba === 'up' && n > allUpLimit) hiddenUp += 1;
      else links.push({ a, b, ab, ba });
    }
  }
  return { links, hiddenUp };
}

/** Sites as groups, nodes inside, links coloured by state; a half-open pair shows its blocked direction as an arrow. */
export function TopologyScreen() {
  const view = useMeshStore((s) => s.view);
  const error = useMeshStore((s) => s.error);
  const load = useMeshStore((s) => s.load);
  const go = useNavStore((s) => s.go);
  useEffect(() => {
    void load();
  }, [load]);
  const layout = useMemo(() => layoutTopology(view?.nodes ?? []), [view?.nodes]);
  const { links, hiddenUp } = useMemo(() => (view ? linksOf(view) : { links: [], hiddenUp: 0 }), [view]);

  if (!view) {
    return <section className="panel">{error ? <ErrorNote error={error} /> : <p aria-busy="true">Waiting for the mesh view…</p>}</section>;
  }
  const at = (i: number) => layout.positions.get(view.nodes[i]?.name ?? '') ?? { x: 0, y: 0 };
  const problems = links.filter((l) => l.ab !== 'up' || l.ba !== 'up');

  return (
    <div className="stack">
      <section className="panel wide" aria-labelledby="topology-title">
        <div className="panel-head">
          <h2 id="topology-title">Topology</h2>
          <span className="muted">
            {view.nodes.length} nodes · {problems.length} pairs not fully up{hiddenUp ? ` · ${hiddenUp} healthy links hidden above ${allUpLimit} nodes` : ''}
          </span>
        </div>
        <div className="row">
          <StateLegend states={['up', 'down', 'unknown']} />
          <span className="muted">Dashed arrow: the blocked direction of a pair that is up the other way. Dashed ring: agent unreachable.</span>
        </div>
        <svg
          className="topology"
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          role="img"
          aria-label={`Topology: ${view.nodes.length} nodes in three sites; ${problems.length} pairs not fully up, listed below.`}
          data-testid="topology"
        >
          <defs>
            <marker id="arrow-down" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className="arrow-down" />
            </marker>
          </defs>
          {layout.sites.map((site) => (
            <g key={site.kind}>
              <rect x={site.x} y={site.y} width={site.width} height={site.height} rx={10} className={`site-box site-${site.kind}`} />
              <text x={site.x + 12} y={site.y + 22} className="site-label">
                {siteLabels[site.kind]}
              </text>
            </g>
          ))}
          {links.map((link) => {
            const p = at(link.a);
            const q = at(link.b);
            const half = (link.ab === 'up') !== (link.ba === 'up');
            if (half) {
              const [from, to] = link.ab === 'up' ? [q, p] : [p, q];
              const dx = to.x - from.x;
              const dy = to.y - from.y;
              const len = Math.hypot(dx, dy) || 1;
              const r = layout.radius + 3;
              return (
                <line
                  key={`${link.a}-${link.b}`}
                  x1={from.x + (dx / len) * r}
                  y1={from.y + (dy / len) * r}
                  x2={to.x - (dx / len) * r}
                  y2={to.y - (dy / len) * r}
                  className="link link-down link-half"
                  markerEnd="url(#arrow-down)"
                />
              );
            }
            const tone = link.ab === 'up' ? 'up' : link.ab === 'down' || link.ba === 'down' ? 'down' : 'unknown';
            return <line key={`${link.a}-${link.b}`} x1={p.x} y1={p.y} x2={q.x} y2={q.y} className={`link link-${tone}`} />;
          })}
          {view.nodes.map((node) => {
            const p = layout.positions.get(node.name) ?? { x: 0, y: 0 };
            return (
              <g
                key={node.name}
                className="topo-node"
                tabIndex={0}
                role="button"
                aria-label={`${node.name}, ${node.site}, health ${Math.round(node.health)}: open node detail`}
                onClick={() => go('node', node.name)}
                onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && go('node', node.name)}
              >
                <circle cx={p.x} cy={p.y} r={layout.radius} className={node.agentReachable ? 'node-dot' : 'node-dot node-dot-unreachable'} />
                {layout.radius >= 6 && (
                  <text x={p.x} y={p.y + layout.radius + 13} textAnchor="middle" className="node-label">
                    {node.name}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      </section>
      <section className="panel" aria-labelledby="problem-links">
        <h3 id="problem-links">Pairs not fully up</h3>
        {problems.length === 0 ? (
          <p>✓ Every pair is up in both directions.</p>
        ) : (
          <ul className="plain-list">
            {problems.slice(0, 200).map((l) => (
              <li key={`${l.a}-${l.b}`}>
                {view.nodes[l.a]?.name} → {view.nodes[l.b]?.name}: {stateLooks[l.ab].symbol} {stateLooks[l.ab].label}; {view.nodes[l.b]?.name} →{' '}
                {view.nodes[l.a]?.name}: {stateLooks[l.ba].symbol} {stateLooks[l.ba].label}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

import { useEffect, useMemo, useState } from 'react';
import type { MeshNode } from '../../electron/contract/index.js';
import { pairCodes } from '../../electron/contract/fields.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { PathView } from '../components/PathView.js';
import { WhatIfPanel } from '../components/WhatIfPanel.js';
import { useDiagnosisStore } from '../store/diagnosis-slice.js';
import { useMachinesStore } from '../store/machines-slice.js';
import { useMeshStore, type MeshView } from '../store/mesh-slice.js';
import { useNavStore } from '../store/nav-slice.js';
import { causeOf } from '../topology/cause.js';
import { layoutTopology } from '../topology/layout.js';
import { usePathStore } from '../topology/path-store.js';
import type { RouteContext } from '../topology/route.js';
import { TopologyDrawing, type DrawnLink } from '../topology/TopologyDrawing.js';
import { pairKey, predict, type PredictedPair } from '../topology/what-if.js';

const allUpLimit = 40;
const marks: Record<PredictedPair, string> = { up: '✓ up', fragile: '≈ fragile', down: '✕ down', unknown: '? unknown' };

/** The mesh's own state of a pair: down or unknown if either side says so; fragile where the health overlay marks it. */
function meshPair(view: MeshView, a: number, b: number): PredictedPair {
  const n = view.nodes.length;
  const codes = [view.cells[a * n + b], view.cells[b * n + a]].map(Number);
  if (codes.includes(pairCodes.down)) return 'down';
  if (codes.some((c) => c !== pairCodes.up && c !== 4)) return 'unknown';
  return codes.includes(4) ? 'fragile' : 'up';
}

/** Sites under the public net with their gateways and walls, each blocked direction ending at its wall, the path view of a pair, and the what-if. */
export function TopologyScreen() {
  const view = useMeshStore((s) => s.view);
  const error = useMeshStore((s) => s.error);
  const load = useMeshStore((s) => s.load);
  const report = useDiagnosisStore((s) => s.report);
  const loadReport = useDiagnosisStore((s) => s.loadLast);
  const machines = useMachinesStore((s) => s.machines);
  const loadMachines = useMachinesStore((s) => s.load);
  const go = useNavStore((s) => s.go);
  const pair = usePathStore((s) => s.pair);
  const openPath = usePathStore((s) => s.open);
  const closePath = usePathStore((s) => s.close);
  const [off, setOff] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    void load();
    void loadReport();
    void loadMachines();
  }, [load, loadReport, loadMachines]);

  const nodes: MeshNode[] = useMemo(() => view?.nodes ?? [], [view?.nodes]);
  const names = useMemo(() => nodes.map((n) => n.name), [nodes]);
  const cause = useMemo(() => causeOf(nodes, report, machines), [nodes, report, machines]);
  const layout = useMemo(() => layoutTopology(nodes, 960, cause.gateways), [nodes, cause]);
  const ctx: RouteContext = useMemo(
    () => ({ layout, siteOf: new Map(nodes.map((n) => [n.name, n.site])), gatewayOf: cause.gatewayOf }),
    [layout, nodes, cause],
  );
  const index = useMemo(() => new Map(names.map((n, i) => [n, i])), [names]);
  const upNow = useMemo(
    () => (a: string, b: string) => (view ? ['up', 'fragile'].includes(meshPair(view, index.get(a) ?? 0, index.get(b) ?? 0)) : false),
    [view, index],
  );
  const now = useMemo(() => (report ? predict(report, cause, new Set(), names, upNow) : null), [report, cause, names, upNow]);
  const predicted = useMemo(() => (report && off.size > 0 ? predict(report, cause, off, names, upNow) : now), [report, cause, off, names, upNow, now]);

  if (!view) {
    return <section className="panel">{error ? <ErrorNote error={error} /> : <p aria-busy="true">Waiting for the mesh view…</p>}</section>;
  }
  const links: DrawnLink[] = [];
  let hiddenUp = 0;
  for (let a = 0; a < nodes.length; a++) {
    for (let b = a + 1; b < nodes.length; b++) {
      const [x, y] = [names[a] as string, names[b] as string];
      const mesh = meshPair(view, a, b);
      const state =
        off.size > 0 ? (predicted?.pairs.get(pairKey(x, y)) ?? mesh) : mesh === 'up' && now?.pairs.get(pairKey(x, y)) === 'fragile' ? 'fragile' : mesh;
      if (state === 'up' && nodes.length > allUpLimit) hiddenUp += 1;
      else links.push({ a: x, b: y, state });
    }
  }
  const problems = links.filter((l) => l.state !== 'up');
  const toggle = (id: string) =>
    setOff((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <div className="stack">
      <section className="panel wide" aria-labelledby="topology-title">
        <div className="panel-head">
          <h2 id="topology-title">Topology{off.size > 0 ? ' (what-if)' : ''}</h2>
          <span className="muted" data-testid="topology-summary">
            {nodes.length} nodes · {problems.length} pairs not fully up · {cause.walls.length} walls
            {hiddenUp ? ` · ${hiddenUp} healthy links hidden above ${allUpLimit} nodes` : ''}
            {report ? '' : ' · no diagnosis yet: run one on the Firewall screen to see gateways and walls'}
          </span>
        </div>
        <ul className="legend topology-legend" aria-label="Legend">
          <li>
            <span className="swatch swatch-up" aria-hidden="true">
              ✓
            </span>
            up
          </li>
          <li>
            <span className="swatch swatch-fragile" aria-hidden="true">
              ≈
            </span>
            fragile (up only by dialling out)
          </li>
          <li>
            <span className="swatch swatch-down" aria-hidden="true">
              ✕
            </span>
            down
          </li>
          <li>Arrow: a blocked direction, ending at the wall that drops it (click a wall to switch it off)</li>
        </ul>
        <TopologyDrawing
          layout={layout}
          ctx={ctx}
          nodes={nodes}
          links={links}
          cause={cause}
          off={off}
          onPair={openPath}
          onNode={(name) => go('node', name)}
          onWall={toggle}
        />
      </section>
      {pair && report && <PathView key={`${pair.a}|${pair.b}`} report={report} cause={cause} a={pair.a} b={pair.b} onClose={closePath} />}
      {report && now && predicted && <WhatIfPanel report={report} cause={cause} nodes={names} off={off} now={now} predicted={predicted} onToggle={toggle} />}
      <section className="panel" aria-labelledby="problem-links">
        <h3 id="problem-links">Pairs not fully up</h3>
        {problems.length === 0 ? (
          <p>✓ Every pair is up in both directions.</p>
        ) : (
          <ul className="plain-list">
            {problems.slice(0, 200).map((l) => (
              <li key={`${l.a}|${l.b}`}>
                {l.a} ↔ {l.b}: {marks[l.state]}{' '}
                <button type="button" className="link" onClick={() => openPath(l.a, l.b)} data-testid={`path-${l.a}-${l.b}`}>
                  Path
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MeshNode } from '../../electron/contract/index.js';
import { pairCodes } from '../../electron/contract/fields.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { PathView } from '../components/PathView.js';
import { WhatIfPanel } from '../components/WhatIfPanel.js';
import { useDiagnosisStore } from '../store/diagnosis-slice.js';
import { useMachinesStore } from '../store/machines-slice.js';
import { useMeshStore, type MeshView } from '../store/mesh-slice.js';
import { useNavStore } from '../store/nav-slice.js';
import { codeState, stateLooks } from '../states.js';
import { causeOf, type MachineJumps } from '../topology/cause.js';
import { layoutTopology } from '../topology/layout.js';
import { lastOf } from '../topology/memo.js';
import { useWidth } from '../topology/use-width.js';
import { closePath, openPath, usePathPair } from '../topology/path-store.js';
import type { RouteContext } from '../topology/route.js';
import { TopologyDrawing, type DrawnLink } from '../topology/TopologyDrawing.js';
import { fewestToOpen, predict, type PredictedPair, type Prediction } from '../topology/what-if.js';

const allUpLimit = 40;
const listLimit = 60;
const marks: Record<PredictedPair, string> = { up: '✓ up', fragile: '≈ fragile', down: '✕ down', unknown: '? unknown' };

const seen = (c: number) => c === pairCodes.up || c === pairCodes.fragile;

/** The mesh's own state of a pair: down or unknown if either side says so; fragile where the health overlay marks it. */
function meshPair(view: MeshView, a: number, b: number): PredictedPair {
  const n = view.nodes.length;
  const ab = Number(view.cells[a * n + b]);
  const ba = Number(view.cells[b * n + a]);
  if (ab === pairCodes.down || ba === pairCodes.down) return 'down';
  if (!seen(ab) || !seen(ba)) return 'unknown';
  return ab === pairCodes.fragile || ba === pairCodes.fragile ? 'fragile' : 'up';
}

const isUp = (s: PredictedPair) => s === 'up' || s === 'fragile';

/** Every pair to draw with its state (predicted under a what-if, else the mesh's, fragile where the diagnosis says so); healthy pairs only up to allUpLimit nodes. */
function linksOf(view: MeshView, prediction: Prediction | null, whatIf: boolean): { links: DrawnLink[]; hiddenUp: number } {
  const nodes = view.nodes;
  const links: DrawnLink[] = [];
  let hiddenUp = 0;
  for (let a = 0; a < nodes.length; a++) {
    for (let b = a + 1; b < nodes.length; b++) {
      const mesh = meshPair(view, a, b);
      const told = prediction?.at(a, b);
      const state = whatIf ? (told ?? mesh) : mesh === 'up' && told === 'fragile' ? 'fragile' : mesh;
      if (state === 'up' && nodes.length > allUpLimit) hiddenUp += 1;
      else links.push({ a: (nodes[a] as MeshNode).name, b: (nodes[b] as MeshNode).name, state });
    }
  }
  return { links, hiddenUp };
}
const cachedLinks = lastOf(linksOf);
const cachedCause = lastOf(causeOf);
const cachedFewest = lastOf(fewestToOpen);
const cachedLayout = lastOf(layoutTopology);
const cachedNow = lastOf((report: NonNullable<ReturnType<typeof useDiagnosisStore.getState>['report']>, cause: ReturnType<typeof causeOf>, view: MeshView) => {
  const names = view.nodes.map((n) => n.name);
  return predict(report, cause, new Set(), names, (a, b) => isUp(meshPair(view, a, b)));
});
let jumpsSeen: { key: string; jumps: MachineJumps[] } = { key: '', jumps: [] };
/** The machines' jump hosts, the same array while they do not change. */
function jumpsOf(machines: readonly MachineJumps[]): MachineJumps[] {
  const key = machines.map((m) => `${m.name}=${m.ssh?.host}@${m.jump.map((j) => j.host).join('>')}`).join(',');
  if (key !== jumpsSeen.key) jumpsSeen = { key, jumps: machines.map((m) => ({ name: m.name, ssh: m.ssh, jump: m.jump })) };
  return jumpsSeen.jumps;
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
  const pair = usePathPair();
  const [off, setOff] = useState<ReadonlySet<string>>(new Set());
  const [panel, panelWidth] = useWidth();
  const width = Math.max(720, panelWidth);
  useEffect(() => {
    void load();
    void loadReport();
    void loadMachines();
  }, [load, loadReport, loadMachines]);

  const nodes: MeshNode[] = useMemo(() => view?.nodes ?? [], [view?.nodes]);
  const names = useMemo(() => nodes.map((n) => n.name), [nodes]);
  const jumps = jumpsOf(machines);
  const cause = cachedCause(nodes, report, jumps);
  const layout = cachedLayout(nodes, width, cause.gateways);
  const ctx: RouteContext = useMemo(
    () => ({ layout, siteOf: new Map(nodes.map((n) => [n.name, n.site])), gatewayOf: cause.gatewayOf }),
    [layout, nodes, cause],
  );
  const index = useMemo(() => new Map(names.map((n, i) => [n, i])), [names]);
  const upNow = useMemo(() => (a: number, b: number) => (view ? isUp(meshPair(view, a, b)) : false), [view]);
  const now = report && view ? cachedNow(report, cause, view) : null;
  const predicted = useMemo(() => (report && off.size > 0 ? predict(report, cause, off, names, upNow) : now), [report, cause, off, names, upNow, now]);
  const { links, hiddenUp } = view ? cachedLinks(view, predicted, off.size > 0) : { links: [], hiddenUp: 0 };
  const toggle = useCallback(
    (id: string) =>
      setOff((s) => {
        const next = new Set(s);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );
  const openNode = useCallback((name: string) => go('node', name), [go]);
  const findFewest = useCallback(() => (report ? cachedFewest(report, cause, nodes) : { nodes: [], walls: [] }), [report, cause, nodes]);

  if (!view) {
    return <section className="panel">{error ? <ErrorNote error={error} /> : <p aria-busy="true">Waiting for the mesh view…</p>}</section>;
  }
  const problems = links.filter((l) => l.state !== 'up');
  const direction = (a: string, b: string) => {
    const look = stateLooks[codeState(view.cells[(index.get(a) ?? 0) * nodes.length + (index.get(b) ?? 0)] ?? pairCodes.unknown)];
    return `${a} → ${b}: ${look.symbol} ${look.label}`;
  };

  return (
    <div className="stack">
      <section className="panel wide" aria-labelledby="topology-title" data-testid="topology-panel" ref={panel}>
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
        {panelWidth > 0 && (
          <TopologyDrawing
            layout={layout}
            ctx={ctx}
            nodes={nodes}
            links={links}
            cause={cause}
            off={off}
            onPair={openPath}
            onNode={openNode}
            onWall={toggle}
            bundled={nodes.length > allUpLimit}
          />
        )}
      </section>
      {pair && report && <PathView key={`${pair.a}|${pair.b}`} report={report} cause={cause} nodes={names} a={pair.a} b={pair.b} onClose={closePath} />}
      {report && now && predicted && (
        <WhatIfPanel
          report={report}
          cause={cause}
          nodes={names}
          off={off}
          now={now}
          predicted={predicted}
          findFewest={findFewest}
          onToggle={toggle}
          onSet={(ids) => setOff(new Set(ids))}
        />
      )}
      <section className="panel" aria-labelledby="problem-links">
        <h3 id="problem-links">Pairs not fully up</h3>
        {problems.length === 0 ? (
          <p>✓ Every pair is up in both directions.</p>
        ) : (
          <ul className="plain-list">
            {problems.slice(0, listLimit).map((l) => (
              <li key={`${l.a}|${l.b}`}>
                {l.a} ↔ {l.b}: {marks[l.state]} ({direction(l.a, l.b)}; {direction(l.b, l.a)}){' '}
                <button type="button" className="link" onClick={() => openPath(l.a, l.b)} data-testid={`path-${l.a}-${l.b}`}>
                  Path
                </button>
              </li>
            ))}
          </ul>
        )}
        {problems.length > listLimit && <p className="muted">and {problems.length - listLimit} more; open any pair from the matrix or the drawing.</p>}
      </section>
    </div>
  );
}

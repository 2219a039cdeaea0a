import { memo, useCallback, useEffect, useMemo, useState } from 'react';
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
import { useAfterPaint } from '../topology/after-paint.js';
import { lastOf } from '../topology/memo.js';
import { closePath, openPath, usePathPair } from '../topology/path-store.js';
import { allUpLimit, isUp, linksOf, meshPair, relayOf } from '../topology/links.js';
import { MeasuredTopology } from '../topology/MeasuredTopology.js';
import type { DrawnLink, LinkState } from '../topology/TopologyDrawing.js';
import { reachGrid } from '../topology/reach-grid.js';
import { fewestToOpen, predict } from '../topology/what-if.js';

const listLimit = 60;
const marks: Record<LinkState, string> = { up: '✓ up', fragile: '≈ fragile', relayed: '↪ relayed', down: '✕ down', unknown: '? unknown' };

const cachedLinks = lastOf(linksOf);
const yes = () => true;
const cachedCause = lastOf(causeOf);
const cachedFewest = lastOf(fewestToOpen);
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

/** The pairs not fully up, each with both directions' states and its path view (the first {@link listLimit}); re-drawn only when they change. */
const ProblemPairs = memo(function ProblemPairs({ view, index, problems }: { view: MeshView; index: ReadonlyMap<string, number>; problems: DrawnLink[] }) {
  const direction = (a: string, b: string) => {
    const look = stateLooks[codeState(view.cells[(index.get(a) ?? 0) * view.nodes.length + (index.get(b) ?? 0)] ?? pairCodes.unknown)];
    return `${a} → ${b}: ${look.symbol} ${look.label}`;
  };
  return (
    <section className="panel" aria-labelledby="problem-links">
      <h3 id="problem-links">Pairs not fully up</h3>
      {problems.length === 0 ? (
        <p>✓ Every pair is up in both directions.</p>
      ) : (
        <ul className="plain-list">
          {problems.slice(0, listLimit).map((l) => (
            <li key={`${l.a}|${l.b}`}>
              {`${l.a} ↔ ${l.b}: ${marks[l.state]} (${direction(l.a, l.b)}; ${direction(l.b, l.a)}) `}
              <button type="button" className="link" onClick={() => openPath(l.a, l.b)} data-testid={`path-${l.a}-${l.b}`}>
                Path
              </button>
            </li>
          ))}
        </ul>
      )}
      {problems.length > listLimit && <p className="muted">and {problems.length - listLimit} more; open any pair from the matrix or the drawing.</p>}
    </section>
  );
});

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
  useEffect(() => {
    void load();
    void loadReport();
    void loadMachines();
  }, [load, loadReport, loadMachines]);

  const nodes: MeshNode[] = useMemo(() => view?.nodes ?? [], [view?.nodes]);
  const names = useMemo(() => nodes.map((n) => n.name), [nodes]);
  const jumps = jumpsOf(machines);
  const cause = cachedCause(nodes, report, jumps);
  const index = useMemo(() => new Map(names.map((n, i) => [n, i])), [names]);
  const upNow = useMemo(() => (a: number, b: number) => (view ? isUp(meshPair(view, a, b)) : false), [view]);
  const whatIf = useMemo(() => (report && off.size > 0 ? predict(report, cause, off, names, upNow) : null), [report, cause, off, names, upNow]);
  const painted = useAfterPaint(yes) ?? false;
  const now = report && view && (painted || whatIf) ? cachedNow(report, cause, view) : null;
  const udp = report ? reachGrid(report, names).udp51820 : null;
  const { links, hiddenUp } = view ? cachedLinks(view, udp, whatIf) : { links: [], hiddenUp: 0 };
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
  const problems = useMemo(() => links.filter((l) => l.state !== 'up' && l.state !== 'relayed'), [links]);
  const relayed = links.filter((l) => l.state === 'relayed').length;
  const setWalls = useCallback((ids: string[]) => setOff(new Set(ids)), []);
  const findFewest = useCallback(() => (report ? cachedFewest(report, cause, nodes) : { nodes: [], walls: [] }), [report, cause, nodes]);

  if (!view) {
    return <section className="panel">{error ? <ErrorNote error={error} /> : <p aria-busy="true">Waiting for the mesh view…</p>}</section>;
  }

  return (
    <div className="stack">
      <section className="panel wide" aria-labelledby="topology-title" data-testid="topology-panel">
        <div className="panel-head">
          <h2 id="topology-title">Topology{off.size > 0 ? ' (what-if)' : ''}</h2>
          <span className="muted" data-testid="topology-summary">
            {nodes.length} nodes · {problems.length} pairs not fully up{relayed ? ` · ${relayed} relayed` : ''} · {cause.walls.length} walls
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
            <span className="swatch swatch-relayed" aria-hidden="true">
              ↪
            </span>
            relayed (drawn through the relay node)
          </li>
          <li>
            <span className="swatch swatch-down" aria-hidden="true">
              ✕
            </span>
            down
          </li>
          <li>Arrow: a blocked direction, ending at the wall that drops it (click a wall to switch it off)</li>
        </ul>
        <MeasuredTopology
          nodes={nodes}
          links={links}
          cause={cause}
          off={off}
          onPair={openPath}
          onNode={openNode}
          onWall={toggle}
          bundled={nodes.length > allUpLimit}
        />
      </section>
      {pair && report && (
        <PathView
          key={`${pair.a}|${pair.b}`}
          report={report}
          cause={cause}
          nodes={names}
          a={pair.a}
          b={pair.b}
          via={relayOf(view, pair.a, pair.b)}
          onClose={closePath}
        />
      )}
      {report && view && (
        <WhatIfPanel
          report={report}
          cause={cause}
          nodes={names}
          off={off}
          now={now}
          predicted={whatIf ?? now}
          findFewest={findFewest}
          onToggle={toggle}
          onSet={setWalls}
        />
      )}
      <ProblemPairs view={view} index={index} problems={problems} />
    </div>
  );
}

import { useEffect, useMemo, useRef } from 'react';
import type { MeshNode } from '../../electron/contract/index.js';
import { pairCodes } from '../../electron/contract/fields.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { MatrixCanvas, type MatrixAxes } from '../components/MatrixCanvas.js';
import { OpenPairPanel } from '../components/PairDetailPanel.js';
import { StateLegend } from '../components/StateBadge.js';
import { formatAge, formatHealth, formatRate } from '../format.js';
import { fragilePair, healthCells, useHealthStore } from '../store/health-slice.js';
import { useMeshStore } from '../store/mesh-slice.js';
import { codeState, codeStates, stateLooks } from '../states.js';

const legend = ['up', 'fragile', 'relayed', 'down', 'unknown', 'unseen', 'self'] as const;
/** The matrix's own code for the cells of a row no agent reports (a member not managed), after the contract's codes. */
const UNSEEN = codeStates.length;
const matrixStates = [...codeStates, 'unseen'] as const;

/** The view's cells with every row of a member not managed shown as not seen from that side. */
function shownCells(nodes: MeshNode[], cells: Uint8Array): Uint8Array {
  const n = nodes.length;
  if (nodes.every((node) => node.managed !== false)) return cells;
  const out = cells.slice();
  nodes.forEach((node, row) => {
    if (node.managed === false) for (let col = 0; col < n; col += 1) if (col !== row) out[row * n + col] = UNSEEN;
  });
  return out;
}

function axesOf(nodes: MeshNode[]): MatrixAxes {
  const names = nodes.map((n) => n.name);
  const tones = nodes.map((n) => n.site);
  return { rows: names, cols: names, rowTones: tones, colTones: tones };
}

/** The N x N mesh: every ordered pair coloured by state, both directions visible; hover for facts, click for detail. */
export function MeshScreen() {
  const view = useMeshStore((s) => s.view);
  const error = useMeshStore((s) => s.error);
  const peeks = useMeshStore((s) => s.peeks);
  const { load, openPair, peekPair } = useMeshStore.getState();
  const peekTimer = useRef(0);

  useEffect(() => {
    void load();
    return () => window.clearTimeout(peekTimer.current);
  }, [load]);

  const shape = view ? view.nodes.map((n) => `${n.name}:${n.site}:${n.managed}`).join(',') : '';
  // The axes change only when names or sites do, so patches of cells or node facts do not lay out again.
  const nodesRef = useRef<MeshNode[]>([]);
  nodesRef.current = view?.nodes ?? [];
  const axes = useMemo(() => (shape ? axesOf(nodesRef.current) : axesOf([])), [shape]);
  const health = useHealthStore((s) => s.health);
  const viewCells = useMemo(() => (view ? healthCells(view, health) : undefined), [view, health]);
  const cells = useMemo(() => (viewCells ? shownCells(nodesRef.current, viewCells) : new Uint8Array()), [viewCells, shape]);

  if (!view) {
    return (
      <section className="panel">
        <h2>Mesh matrix</h2>
        {error ? <ErrorNote error={error} /> : <p aria-busy="true">Waiting for the mesh view…</p>}
      </section>
    );
  }

  const n = view.nodes.length;
  const name = (i: number) => view.nodes[i]?.name ?? '?';
  const stateAt = (row: number, col: number) => (cells[row * n + col] === UNSEEN ? 'unseen' : codeState(cells[row * n + col] ?? pairCodes.unknown));
  const why = (row: number, col: number) => {
    const fragile = fragilePair(health, name(row), name(col));
    const titles = fragile?.causes.flatMap((id) => health?.causes.find((c) => c.id === id)?.title ?? []) ?? [];
    return fragile ? ` (fragile: ${titles.length ? titles.join('; ') : fragile.reasons.join(', ')})` : '';
  };
  const shown = (row: number, col: number) => {
    const look = stateLooks[stateAt(row, col)];
    const via = cells[row * n + col] === pairCodes.relayed ? view.relays.get(row * n + col) : undefined;
    return `${look.symbol} ${look.label}${via ? ` through ${via}` : ''}`;
  };
  const describe = (row: number, col: number) => {
    const tag = (i: number) => (view.nodes[i]?.managed === false ? ' (not managed)' : '');
    return row === col
      ? `${name(row)}${tag(row)}: itself`
      : `${name(row)}${tag(row)} → ${name(col)}${tag(col)}: ${shown(row, col)}; back ${shown(col, row)}${why(row, col)}`;
  };
  const tooltip = (row: number, col: number) => {
    const peek = peeks[`${name(row)}>${name(col)}`];
    return (
      <>
        <strong>{describe(row, col)}</strong>
        {row !== col &&
          (peek ? (
            <span className="tip-facts">
              endpoint {peek.endpoint ?? 'none'} · handshake {formatAge(peek.lastHandshake)} · rx {formatRate(peek.rxRate)} · tx {formatRate(peek.txRate)}
            </span>
          ) : (
            <span className="tip-facts muted">click or press Enter for detail</span>
          ))}
      </>
    );
  };
  const onHover = (row: number, col: number) => {
    window.clearTimeout(peekTimer.current);
    if (row !== col) peekTimer.current = window.setTimeout(() => void peekPair(name(row), name(col)), 300);
  };
  const up = view.cells.reduce((sum, code) => sum + (code === pairCodes.up ? 1 : 0), 0);
  const down = view.cells.reduce((sum, code) => sum + (code === pairCodes.down ? 1 : 0), 0);
  const fragile = cells.reduce((sum, code) => sum + (code === pairCodes.fragile ? 1 : 0), 0);
  const relayed = view.cells.reduce((sum, code) => sum + (code === pairCodes.relayed ? 1 : 0), 0);

  return (
    <div className="stack">
      <section className="panel wide" aria-labelledby="mesh-title">
        <div className="panel-head">
          <h2 id="mesh-title">Mesh matrix</h2>
          <span className="muted" data-testid="mesh-summary">
            {n} nodes · {up} ✓ up{fragile > 0 && ` (${fragile} ≈ fragile)`}
            {relayed > 0 && ` · ${relayed} ↪ relayed`} · {down} ✕ down · health{' '}
            {formatHealth(health?.cluster === view.cluster ? health.score : view.clusterHealth)} · v{view.version}
          </span>
        </div>
        <p className="muted">Row = the node that sees, column = the peer it sees. Both directions of a pair are shown: a cell and its mirror.</p>
        <StateLegend states={legend} />
        <MatrixCanvas
          axes={axes}
          cells={cells}
          states={matrixStates}
          label="Mesh pairs"
          describe={describe}
          tooltip={tooltip}
          onHover={onHover}
          onOpen={(row, col) => row !== col && void openPair(name(row), name(col))}
          testId="mesh-matrix"
        />
      </section>
      <OpenPairPanel />
    </div>
  );
}

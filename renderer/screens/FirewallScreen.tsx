import { useEffect, useMemo, useState } from 'react';
import type { ReachabilityMatrix } from '../../electron/contract/index.js';
import type { CellChange, ReportChanges } from '../../electron/contract/diagnosis.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { FindingCard } from '../components/FindingCard.js';
import { FixResult } from '../components/FixResult.js';
import { MatrixCanvas, type MatrixAxes } from '../components/MatrixCanvas.js';
import { OpenPairPanel } from '../components/PairDetailPanel.js';
import { StateLegend } from '../components/StateBadge.js';
import { reachabilityData } from '../matrix/reachability.js';
import { useDiagnosisStore } from '../store/diagnosis-slice.js';
import { useMeshStore } from '../store/mesh-slice.js';
import { reachStates, stateLooks } from '../states.js';

/** How long the cells a fix changed stay highlighted. */
const FLASH_MS = 6000;

const matrixPorts = [
  { port: 'udp51820', title: 'UDP 51820 (WireGuard)', testId: 'udp-matrix' },
  { port: 'tcp50000', title: 'TCP 50000 (agent API)', testId: 'tcp-matrix' },
] as const;

/** The nodes of a matrix, in mesh order where the mesh view knows them, then by name. */
function nodesOf(matrix: ReachabilityMatrix, order: Map<string, number>): string[] {
  const names = new Set<string>();
  for (const [from, row] of Object.entries(matrix)) {
    if (from !== 'desktop') names.add(from);
    for (const to of Object.keys(row)) names.add(to);
  }
  const rank = (name: string) => order.get(name) ?? Number.MAX_SAFE_INTEGER;
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** One port's reachability for every ordered pair, on the matrix canvas. */
function ReachabilityView({
  title,
  matrix,
  order,
  siteOf,
  changed,
  testId,
}: {
  title: string;
  matrix: ReachabilityMatrix;
  order: Map<string, number>;
  siteOf(name: string): string;
  /** Cells a fix or its undo just changed, highlighted. */
  changed: CellChange[];
  testId: string;
}) {
  const data = useMemo(() => reachabilityData(matrix, nodesOf(matrix, order), siteOf), [matrix, order, siteOf]);
  const marks = useMemo(() => {
    const cells = changed.map((c) => ({ row: data.rows.indexOf(c.from), col: data.cols.indexOf(c.to) })).filter((c) => c.row >= 0 && c.col >= 0);
    return { cells, className: 'cell-changed' };
  }, [changed, data]);
  const axes: MatrixAxes = useMemo(() => ({ rows: data.rows, cols: data.cols, rowTones: data.rowTones, colTones: data.colTones }), [data]);
  const describe = (row: number, col: number) => {
    const state = reachStates[data.cells[row * data.cols.length + col] ?? 0] ?? 'unknown';
    return `${title}: ${data.rows[row]} → ${data.cols[col]}: ${stateLooks[state].symbol} ${stateLooks[state].label}`;
  };
  const blocked = data.cells.reduce((sum, code) => sum + (code === 2 ? 1 : 0), 0);
  return (
    <section className="panel" aria-labelledby={`${testId}-title`}>
      <h3 id={`${testId}-title`}>
        {title} <span className="muted">({blocked} ✕ blocked)</span>
      </h3>
      {data.cols.length === 0 ? (
        <p className="muted">No probes yet.</p>
      ) : (
        <MatrixCanvas
          axes={axes}
          cells={data.cells}
          states={reachStates}
          label={title}
          describe={describe}
          tooltip={(r, c) => describe(r, c)}
          marks={marks}
          onOpen={(r, c) =>
            data.rows[r] !== data.cols[c] && data.rows[r] !== 'desktop' && void useMeshStore.getState().openPair(data.rows[r] ?? '', data.cols[c] ?? '')
          }
          testId={testId}
        />
      )}
    </section>
  );
}

/** Firewall: UDP 51820 and TCP 50000 reachability, the findings by root cause, and each fix with preview, Copy and Apply. */
export function FirewallScreen() {
  const { report, running, error, loadLast, run } = useDiagnosisStore();
  const meshNodes = useMeshStore((s) => s.view?.nodes);
  useEffect(() => {
    void loadLast();
  }, [loadLast]);
  const { order, siteOf } = useMemo(() => {
    const sites = new Map(meshNodes?.map((n) => [n.name, n.site]) ?? []);
    return { order: new Map(meshNodes?.map((n, i) => [n.name, i]) ?? []), siteOf: (name: string) => sites.get(name) ?? 'unknown' };
  }, [meshNodes]);
  const causes = report?.causes ?? [];
  const applies = useDiagnosisStore((s) => s.applies);
  const kept = Object.values(applies).flatMap((a) => (a.result?.applied && !a.result.reverted ? [a.result] : []));
  const [flash, setFlash] = useState<ReportChanges | null>(null);
  useEffect(() => {
    if (!flash) return;
    const timer = setTimeout(() => setFlash(null), FLASH_MS);
    return () => clearTimeout(timer);
  }, [flash]);
  const changed = (port: CellChange['port']) => flash?.cells.filter((c) => c.port === port) ?? [];

  return (
    <div className="stack">
      <section className="panel" aria-labelledby="firewall-title">
        <div className="panel-head">
          <h2 id="firewall-title">Firewall</h2>
          <button type="button" className="primary" onClick={() => void run()} disabled={running}>
            {running ? 'Diagnosing…' : report ? 'Check again' : 'Run diagnosis'}
          </button>
        </div>
        {error && <ErrorNote error={error} />}
        {report ? (
          <p className="muted">
            Last checked {new Date(report.generatedAt).toLocaleString()} in {(report.durationMs / 1000).toFixed(1)} s: {causes.length}{' '}
            {causes.length === 1 ? 'problem' : 'problems'} by root cause, from {report.findings.length} findings.
          </p>
        ) : (
          !error && <p className="muted">No diagnosis yet.</p>
        )}
        <StateLegend states={['open', 'blocked', 'unknown']} />
      </section>
      {report && (
        <div className="two-up">
          {matrixPorts.map(({ port, title, testId }) => (
            <ReachabilityView key={port} title={title} matrix={report.matrix[port]} order={order} siteOf={siteOf} changed={changed(port)} testId={testId} />
          ))}
        </div>
      )}
      <OpenPairPanel />
      {report && (
        <section aria-labelledby="findings-title" className="stack">
          <h3 id="findings-title">Findings</h3>
          {kept.map((result) => (
            <FixResult key={result.findingId} result={result} onChanges={setFlash} />
          ))}
          {causes.length === 0 ? <p className="panel">✓ No problems found.</p> : causes.map((c) => <FindingCard key={c.id} cause={c} />)}
        </section>
      )}
    </div>
  );
}

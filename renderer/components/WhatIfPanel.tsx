import { memo, useState } from 'react';
import type { DiagnosisReport } from '../../electron/contract/index.js';
import { useDiagnosisStore } from '../store/diagnosis-slice.js';
import { wallTitle, type Cause } from '../topology/cause.js';
import { useAfterPaint } from '../topology/after-paint.js';
import type { PredictedPair, Prediction } from '../topology/what-if.js';
import { ApplyFixDialog } from './ApplyFixDialog.js';

const marks: Record<PredictedPair, string> = { up: '✓', fragile: '≈', down: '✕', unknown: '?' };
/** Above this many nodes the predicted pairs are counted, not tabled. */
const tableLimit = 16;

/** Props of {@link WhatIfPanel}. */
export interface WhatIfPanelProps {
  report: DiagnosisReport;
  cause: Cause;
  nodes: string[];
  off: ReadonlySet<string>;
  /** The diagnosis as it stands, null until it is worked out (after the first paint). */
  now: Prediction | null;
  /** The prediction with the walls switched off (the same as `now` with none). */
  predicted: Prediction | null;
  /** Works out the diagnosis's fewest nodes to open and the walls in front of them (after the first paint: it is the costliest part). */
  findFewest(): { nodes: string[]; walls: string[] };
  onToggle(id: string): void;
  /** Switches off exactly these walls. */
  onSet(ids: string[]): void;
}

function counts(p: Prediction): string {
  const c = p.counts;
  return `${c.up} up, ${c.fragile} fragile, ${c.down} down${c.unknown ? `, ${c.unknown} unknown` : ''}`;
}

/** The predicted pair states of a small mesh, those that change marked. */
function PredictedTable({ nodes, now, predicted }: { nodes: string[]; now: Prediction; predicted: Prediction }) {
  return (
    <table className="what-if-matrix" data-testid="what-if-matrix">
      <caption className="sr-only">Predicted pair states</caption>
      <thead>
        <tr>
          <th />
          {nodes.map((n) => (
            <th key={n} scope="col">
              {n}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {nodes.map((a, i) => (
          <tr key={a}>
            <th scope="row">{a}</th>
            {nodes.map((b, j) => {
              const s = i === j ? null : predicted.at(i, j);
              const changed = s !== null && s !== now.at(i, j);
              return (
                <td key={b} className={s ? `predicted-${s}${changed ? ' predicted-changed' : ''}` : 'predicted-self'} title={s ?? ''}>
                  {s ? marks[s] : '·'}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Switch walls off and see the predicted pairs and score; "Apply this" opens
 * the fix of the wall's finding in the preview-and-revert dialog.
 */
export const WhatIfPanel = memo(function WhatIfPanel({ report, cause, nodes, off, now, predicted, findFewest, onToggle, onSet }: WhatIfPanelProps) {
  const fewest = useAfterPaint(findFewest);
  const previews = useDiagnosisStore((s) => s.previews);
  const loadPreview = useDiagnosisStore((s) => s.preview);
  const apply = useDiagnosisStore((s) => s.apply);
  const [asking, setAsking] = useState<{ findingId: string; node: string } | null>(null);
  const open = (findingId: string) => {
    const finding = report.findings.find((f) => f.id === findingId);
    const node = finding?.remediation.hostFixes[0]?.node ?? finding?.nodes[0];
    if (!node) return;
    setAsking({ findingId, node });
    void loadPreview(findingId);
  };
  return (
    <section className="panel" aria-labelledby="what-if-title" data-testid="what-if">
      <h3 id="what-if-title">What if</h3>
      {cause.walls.length === 0 ? (
        <p>No wall drops mesh traffic in the last diagnosis.</p>
      ) : (
        <ul className="plain-list what-if-walls">
          {cause.walls.map((w) => (
            <li key={w.id}>
              <label>
                <input type="checkbox" checked={off.has(w.id)} onChange={() => onToggle(w.id)} data-testid={`what-if-${w.id}`} /> Switch off{' '}
                {wallTitle(cause, w)} <span className="muted">({w.reason})</span>
              </label>{' '}
              {off.has(w.id) && w.findingId && (
                <button type="button" onClick={() => open(w.findingId as string)} data-testid={`apply-this-${w.id}`}>
                  Apply this
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {fewest && fewest.walls.length > 0 && (
        <p data-testid="what-if-fewest">
          The diagnosis&apos;s fewest nodes to open so every pair has an inbound end: {fewest.nodes.join(', ')}.{' '}
          <button type="button" onClick={() => onSet(fewest.walls)}>
            Try it
          </button>
        </p>
      )}
      {now && predicted && (
        <>
          <p data-testid="what-if-score">
            Score now {now.score}
            {off.size > 0 ? `, predicted ${predicted.score}` : ''} · {counts(off.size > 0 ? predicted : now)}
            {off.size > 0 ? ` (now ${counts(now)})` : ''}
          </p>
          {off.size > 0 && nodes.length <= tableLimit && <PredictedTable nodes={nodes} now={now} predicted={predicted} />}
        </>
      )}
      <ApplyFixDialog
        node={asking?.node ?? null}
        preview={asking ? previews[asking.findingId] : undefined}
        onClose={() => setAsking(null)}
        onConfirm={(node, seconds) => {
          const findingId = asking?.findingId;
          setAsking(null);
          if (findingId) void apply(findingId, node, seconds);
        }}
      />
    </section>
  );
});

import { useEffect, useState } from 'react';
import type { ErrorEnvelope } from '../../electron/contract/index.js';
import type { CellChange, FixResult as FixOutcome, FixRevertResult, ReportChanges } from '../../electron/contract/diagnosis.js';
import { getApi } from '../api/client.js';
import { stateLooks } from '../states.js';
import { ErrorNote } from './ErrorNote.js';

const portNames: Record<CellChange['port'], string> = { udp51820: 'UDP 51820', tcp50000: 'TCP 50000' };
const shown = (state: keyof typeof stateLooks) => `${stateLooks[state].symbol} ${stateLooks[state].label}`;

/** One line a changed matrix cell and pair, e.g. "cloud1 → cloud2 UDP 51820: ✕ blocked → ✓ open". */
export function changeTexts(changes: ReportChanges): string[] {
  return [
    ...changes.cells.map((c) => `${c.from} → ${c.to} ${portNames[c.port]}: ${shown(c.before)} → ${shown(c.after)}`),
    ...changes.pairs.map((p) => `${p.a} / ${p.b}: ${shown(p.before)} → ${shown(p.after)}`),
  ];
}

function ChangeList({ changes, testId }: { changes: ReportChanges | undefined; testId: string }) {
  if (!changes) return <p className="muted">No earlier diagnosis to compare with.</p>;
  const lines = changeTexts(changes);
  if (lines.length === 0) return <p className="muted">No matrix cell or pair changed.</p>;
  return (
    <ul className="changes" data-testid={testId}>
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}

/** Props of {@link FixResult}. */
export interface FixResultProps {
  result: FixOutcome;
  /** Called with the cells to highlight: the fix's, then the undo's. */
  onChanges(changes: ReportChanges): void;
}

type UndoState = { running: boolean; result: FixRevertResult | null; error: ErrorEnvelope | null };

/** A kept fix: the commands that ran on which host, the cells and pairs the re-check saw change, and Undo (`fix:revert`) with the same for the undo. */
export function FixResult({ result, onChanges }: FixResultProps) {
  const [undo, setUndo] = useState<UndoState | null>(null);
  useEffect(() => {
    if (result.recheck) onChanges(result.recheck);
  }, [result, onChanges]);

  const runUndo = async (node: string, fixId: string) => {
    setUndo({ running: true, result: null, error: null });
    const outcome = await getApi().invoke('fix:revert', { node, fixId });
    setUndo(outcome.ok ? { running: false, result: outcome.value, error: null } : { running: false, result: null, error: outcome.error });
    if (outcome.ok && outcome.value.recheck) onChanges(outcome.value.recheck);
  };

  const { node, fixId } = result;
  return (
    <section className="panel fix-result" role="status" aria-labelledby={`fix-result-${result.findingId}`} data-testid="fix-result">
      <div className="panel-head">
        <h4 id={`fix-result-${result.findingId}`}>
          {undo?.result ? `Fix undone on ${node}` : `Fix applied on ${node}`} <span className="muted">({result.findingId})</span>
        </h4>
        {node && fixId && !undo?.result && (
          <button type="button" disabled={undo?.running} onClick={() => void runUndo(node, fixId)}>
            {undo?.running ? 'Undoing…' : 'Undo'}
          </button>
        )}
      </div>
      {(result.commands ?? []).length > 0 && (
        <>
          <p>Ran on {node}:</p>
          <pre className="commands">{result.commands?.join('\n')}</pre>
        </>
      )}
      <p>{result.cleared ? '✓ The re-check no longer finds the problem.' : '! The re-check still finds the problem.'} What changed:</p>
      <ChangeList changes={result.recheck} testId="fix-changes" />
      {undo?.error && <ErrorNote error={undo.error} />}
      {undo?.result && (
        <div data-testid="undo-result">
          <p>{undo.result.reverted ? '✓ Reverted: nothing of the fix is left on the host.' : '✕ Not fully reverted: see the log.'} What changed:</p>
          <ChangeList changes={undo.result.recheck} testId="undo-changes" />
          {undo.result.log.length > 0 && <pre className="log">{undo.result.log.join('\n')}</pre>}
        </div>
      )}
    </section>
  );
}

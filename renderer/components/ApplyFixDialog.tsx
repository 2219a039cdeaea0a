import { useState } from 'react';
import type { HostFix } from '../../electron/contract/index.js';
import type { PreviewState } from '../store/diagnosis-slice.js';
import { Dialog } from './Dialog.js';
import { ErrorNote } from './ErrorNote.js';

/** Props of {@link ApplyFixDialog}. */
export interface ApplyFixDialogProps {
  /** The node asked about, or null when closed. */
  node: string | null;
  /** The fresh `fix:preview` (undefined while it loads). */
  preview: PreviewState | undefined;
  onConfirm(node: string, confirmSeconds: number): void;
  onClose(): void;
}

/**
 * Asks before a firewall change: shows the exact commands (fetched fresh with
 * `fix:preview`) and the confirmation window after which the change is undone
 * if SSH or the node's mesh is lost.
 */
export function ApplyFixDialog({ node, preview, onConfirm, onClose }: ApplyFixDialogProps) {
  const [seconds, setSeconds] = useState(30);
  const fix: HostFix | undefined = preview?.remediation?.hostFixes.find((f) => f.node === node);
  return (
    <Dialog
      title={`Apply the fix on ${node ?? ''}?`}
      open={node !== null}
      onClose={onClose}
      testId="apply-dialog"
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="primary" disabled={!fix} onClick={() => fix && onConfirm(fix.node, seconds)}>
            Apply with automatic revert
          </button>
        </>
      }
    >
      {!preview && <p aria-busy="true">Preparing the exact commands…</p>}
      {preview?.error && <ErrorNote error={preview.error} />}
      {preview?.remediation && !fix && <p>No commands for {node} in the current fix.</p>}
      {fix && (
        <>
          <p>
            These commands run on <strong>{fix.target?.label ?? fix.node}</strong> over SSH ({fix.firewall}):
          </p>
          <pre className="commands">{fix.apply.join('\n')}</pre>
          <label className="inline">
            Confirmation window{' '}
            <select value={seconds} onChange={(e) => setSeconds(Number(e.target.value))}>
              {[15, 30, 60, 120].map((s) => (
                <option key={s} value={s}>
                  {s} s
                </option>
              ))}
            </select>
          </label>
          <p className="muted">
            The change is also written where the host&apos;s boot loads its firewall (the result says where, or that it is runtime only). If SSH or the
            node&apos;s mesh is lost within the window, both are undone automatically. Afterwards the diagnosis runs again, and the result shows which cells
            changed, with Undo.
          </p>
        </>
      )}
    </Dialog>
  );
}

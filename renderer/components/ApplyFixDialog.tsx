import { useState } from 'react';
import type { HostFix } from '../../electron/contract/index.js';
import { Dialog } from './Dialog.js';

/** Props of {@link ApplyFixDialog}. */
export interface ApplyFixDialogProps {
  fix: HostFix | null;
  onConfirm(node: string, confirmSeconds: number): void;
  onClose(): void;
}

/**
 * Asks before a firewall change: shows the commands, and the confirmation
 * window after which the change is undone if SSH or the node's mesh is lost.
 */
export function ApplyFixDialog({ fix, onConfirm, onClose }: ApplyFixDialogProps) {
  const [seconds, setSeconds] = useState(30);
  return (
    <Dialog
      title={fix ? `Apply the fix on ${fix.node}?` : 'Apply the fix?'}
      open={fix !== null}
      onClose={onClose}
      testId="apply-dialog"
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="primary" onClick={() => fix && onConfirm(fix.node, seconds)}>
            Apply with automatic revert
          </button>
        </>
      }
    >
      {fix && (
        <>
          <p>
            These commands run on <strong>{fix.node}</strong> over SSH ({fix.firewall}):
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
          <p className="muted">If SSH or the node&apos;s mesh is lost within the window, the change is undone automatically. Afterwards the diagnosis runs again.</p>
        </>
      )}
    </Dialog>
  );
}

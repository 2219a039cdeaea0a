import { useState } from 'react';
import type { Finding, HostFix } from '../../electron/contract/index.js';
import { useDiagnosisStore } from '../store/diagnosis-slice.js';
import { ApplyFixDialog } from './ApplyFixDialog.js';
import { ErrorNote } from './ErrorNote.js';
import { FindingSummary } from './FindingSummary.js';
import { CopyButton, fixScript, HostFixBlock } from './FixPreview.js';

/** A finding with its fix: the preview of the exact commands, Copy, and Apply with confirmation. */
export function FindingCard({ finding }: { finding: Finding }) {
  const preview = useDiagnosisStore((s) => s.previews[finding.id]);
  const applied = useDiagnosisStore((s) => s.applies[finding.id]);
  const loadPreview = useDiagnosisStore((s) => s.preview);
  const apply = useDiagnosisStore((s) => s.apply);
  const [asking, setAsking] = useState<HostFix | null>(null);
  const remediation = preview?.remediation ?? null;
  return (
    <article className={`finding finding-${finding.severity}`} data-testid={`finding-${finding.id}`}>
      <FindingSummary finding={finding} />
      <p>{finding.remediation.summary}</p>
      {finding.remediation.changeRequest && (
        <div className="change-request">
          <strong>Outside the hosts:</strong> {finding.remediation.changeRequest} <CopyButton text={finding.remediation.changeRequest} label="Copy the change request" />
        </div>
      )}
      {!preview && finding.remediation.hostFixes.length > 0 && (
        <button type="button" onClick={() => void loadPreview(finding.id)}>
          Preview the fix
        </button>
      )}
      {preview?.error && <ErrorNote error={preview.error} />}
      {remediation && (
        <div className="fix">
          {remediation.hostFixes.length > 1 && <CopyButton text={fixScript(remediation)} label="Copy the commands for every host" />}
          {remediation.hostFixes.map((fix) => (
            <HostFixBlock key={fix.node} fix={fix} busy={applied?.running ?? false} onApply={() => setAsking(fix)} />
          ))}
        </div>
      )}
      {applied?.running && <p aria-busy="true">Applying on {applied.node}… waiting out the confirmation window.</p>}
      {applied?.error && <ErrorNote error={applied.error} />}
      {applied?.result && (
        <div className="apply-result" role="status">
          {applied.result.reverted ? '✕ Applied, then reverted: the node was lost within the window.' : applied.result.cleared ? '✓ Applied; the re-check no longer finds this problem.' : applied.result.applied ? '! Applied, but the re-check still finds the problem.' : '✕ Not applied.'}
          {applied.result.log.length > 0 && <pre className="log">{applied.result.log.join('\n')}</pre>}
        </div>
      )}
      <ApplyFixDialog
        fix={asking}
        onClose={() => setAsking(null)}
        onConfirm={(node, seconds) => {
          setAsking(null);
          void apply(finding.id, node, seconds);
        }}
      />
    </article>
  );
}

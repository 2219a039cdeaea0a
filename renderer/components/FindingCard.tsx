import { useState } from 'react';
import type { Finding, FixResult } from '../../electron/contract/index.js';
import { useDiagnosisStore } from '../store/diagnosis-slice.js';
import { ApplyFixDialog } from './ApplyFixDialog.js';
import { ErrorNote } from './ErrorNote.js';
import { FindingSummary } from './FindingSummary.js';
import { CopyButton, fixScript, HostFixBlock } from './FixPreview.js';

function applyOutcome(result: { applied: boolean; reverted: boolean; cleared: boolean }): string {
  if (result.reverted) return '✕ Applied, then reverted: the node was lost within the confirmation window.';
  if (result.cleared) return '✓ Applied; the re-check no longer finds this problem.';
  if (result.applied) return '! Applied, but the re-check still finds the problem.';
  return '✕ Not applied.';
}

function persistText(result: FixResult): string {
  if (result.persistence === 'runtime') return `Runtime only, lost at the next reboot: ${result.persistNote ?? ''}`;
  return `Survives a reboot: ${result.persistNote ?? ''}`;
}

/** A finding with its fix: the commands per host, Copy, and Apply (fresh preview, confirmation, automatic revert, re-check). */
export function FindingCard({ finding }: { finding: Finding }) {
  const preview = useDiagnosisStore((s) => s.previews[finding.id]);
  const applied = useDiagnosisStore((s) => s.applies[finding.id]);
  const loadPreview = useDiagnosisStore((s) => s.preview);
  const apply = useDiagnosisStore((s) => s.apply);
  const [asking, setAsking] = useState<string | null>(null);
  const remediation = preview?.remediation ?? finding.remediation;

  const ask = (node: string) => {
    setAsking(node);
    useDiagnosisStore.setState((s) => {
      const { [finding.id]: _dropped, ...rest } = s.previews;
      return { previews: rest };
    });
    void loadPreview(finding.id);
  };

  return (
    <article className={`finding finding-${finding.severity}`} data-testid={`finding-${finding.code}`}>
      <FindingSummary finding={finding} />
      <p>{remediation.summary}</p>
      {remediation.changeRequest && (
        <div className="change-request">
          <strong>Outside the hosts:</strong> {remediation.changeRequest} <CopyButton text={remediation.changeRequest} label="Copy the change request" />
        </div>
      )}
      {remediation.hostFixes.length > 1 && <CopyButton text={fixScript(remediation)} label="Copy the commands for every host" />}
      {remediation.hostFixes.map((fix) => (
        <HostFixBlock key={fix.node} fix={fix} busy={applied?.running ?? false} onApply={ask} />
      ))}
      {applied?.running && <p aria-busy="true">Applying on {applied.node}… waiting out the confirmation window.</p>}
      {applied?.error && <ErrorNote error={applied.error} />}
      {applied?.result && (
        <div className="apply-result" role="status">
          {applyOutcome(applied.result)}
          {applied.result.persistNote && !applied.result.reverted && <p className="muted">{persistText(applied.result)}</p>}
          {(applied.result.changes ?? []).length > 0 && (
            <ul className="changes">
              {(applied.result.changes ?? []).map((c) => (
                <li key={`${c.kind}-${c.action}-${c.what}`}>
                  {c.kind === 'runtime' ? 'Live ruleset' : 'Boot file'} {c.action}: {c.what}
                </li>
              ))}
            </ul>
          )}
          {applied.result.log.length > 0 && <pre className="log">{applied.result.log.join('\n')}</pre>}
        </div>
      )}
      <ApplyFixDialog
        node={asking}
        preview={preview}
        onClose={() => setAsking(null)}
        onConfirm={(node, seconds) => {
          setAsking(null);
          void apply(finding.id, node, seconds);
        }}
      />
    </article>
  );
}

import { useState } from 'react';
import type { FindingCause, FixResult, OnboardingResult } from '../../electron/contract/index.js';
import { useDiagnosisStore } from '../store/diagnosis-slice.js';
import { ApplyFixDialog } from './ApplyFixDialog.js';
import { ErrorNote } from './ErrorNote.js';
import { PathViewLink } from './PathViewLink.js';
import { PushResults } from './PushResults.js';
import { SeverityBadge } from './FindingSummary.js';
import { FixBox } from './FixBox.js';

function applyOutcome(result: { applied: boolean; reverted: boolean; cleared: boolean }): string {
  if (result.reverted) return '✕ Applied, then reverted: the node was lost within the confirmation window.';
  if (result.cleared) return '✓ Applied; the re-check no longer finds this problem.';
  if (result.applied) return '! Applied, but the re-check still finds the problem.';
  return '✕ Not applied.';
}

/** How many agents took a pushed relay, and how many did not (the list names them). */
function pushedText(results: readonly OnboardingResult[]): string {
  const ok = results.filter((r) => r.ok).length;
  const failed = results.length - ok;
  const took = ok ? ` and pushed to ${ok} ${ok === 1 ? 'agent' : 'agents'}` : '';
  return failed ? `${took}; ${failed} could not take it` : took;
}

function persistText(result: FixResult): string {
  if (result.persistence === 'runtime') return `Runtime only, lost at the next reboot: ${result.persistNote ?? ''}`;
  return `Survives a reboot: ${result.persistNote ?? ''}`;
}

/**
 * One root cause: a plain title and its impact, the fix first (commands per host with Apply, the change request
 * once, upstream snippets), the pairs it affects, and the evidence of every finding folded in, collapsed.
 */
export function FindingCard({ cause }: { cause: FindingCause }) {
  const preview = useDiagnosisStore((s) => s.previews[cause.id]);
  const applied = useDiagnosisStore((s) => s.applies[cause.id]);
  const loadPreview = useDiagnosisStore((s) => s.preview);
  const apply = useDiagnosisStore((s) => s.apply);
  const relayed = useDiagnosisStore((s) => s.relays[cause.id]);
  const applyRelay = useDiagnosisStore((s) => s.applyRelay);
  const [asking, setAsking] = useState<string | null>(null);
  const remediation = preview?.remediation ?? cause.remediation;
  const folded = cause.findings.slice(1);

  const ask = (node: string) => {
    setAsking(node);
    useDiagnosisStore.setState((s) => {
      const { [cause.id]: _dropped, ...rest } = s.previews;
      return { previews: rest };
    });
    void loadPreview(cause.id);
  };

  return (
    <article className={`finding finding-${cause.severity}`} data-testid={`finding-${cause.code}`} aria-labelledby={`cause-${cause.id}`}>
      <div className="finding-head">
        <SeverityBadge severity={cause.severity} />
        <h4 className="finding-title" id={`cause-${cause.id}`}>
          {cause.title}
        </h4>
        <code className="code-tag">{cause.code}</code>
      </div>
      <p className="finding-impact">{cause.impact}</p>
      <FixBox
        remediation={remediation}
        onApply={ask}
        onRelay={(offer) => void applyRelay(cause.id, offer)}
        busy={(applied?.running ?? false) || (relayed?.running ?? false)}
      />
      {relayed?.running && <p aria-busy="true">Saving the relay and pushing it to the agents…</p>}
      {relayed?.error && <ErrorNote error={relayed.error} />}
      {relayed?.pushed && remediation.relay && (
        <div className="apply-result" role="status" data-testid="relay-result">
          <p>
            ✓ Relay {remediation.relay.between.join(' ↔ ')} through {remediation.relay.via} saved in the cluster's settings
            {pushedText(relayed.pushed)}; the pair shows ↪ relayed once both ends report it. Remove it with spanwise settings set --no-relay{' '}
            {remediation.relay.between.join(',')}.
          </p>
          {relayed.pushed.some((r) => !r.ok) && <PushResults results={relayed.pushed.filter((r) => !r.ok)} testId="relay-push-failed" />}
        </div>
      )}
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
      {cause.pairs.length > 0 && (
        <p className="affected" data-testid="affected-pairs">
          Affects {cause.pairs.length} {cause.pairs.length === 1 ? 'direction' : 'directions'}: {cause.pairs.map((p) => `${p.from} → ${p.to}`).join(', ')}
        </p>
      )}
      {cause.pairs[0] && <PathViewLink from={cause.pairs[0].from} to={cause.pairs[0].to} />}
      <details data-testid="evidence">
        <summary>
          Evidence ({cause.evidence.length}){folded.length > 0 && `, with ${folded.length} related ${folded.length === 1 ? 'finding' : 'findings'}`}
        </summary>
        <ul className="evidence">
          {cause.evidence.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        {folded.length > 0 && (
          <p className="muted">
            Also:{' '}
            {folded.map((id) => (
              <code key={id} className="code-tag">
                {id}
              </code>
            ))}
          </p>
        )}
      </details>
      <ApplyFixDialog
        node={asking}
        preview={preview}
        onClose={() => setAsking(null)}
        onConfirm={(node, seconds) => {
          setAsking(null);
          void apply(cause.id, node, seconds);
        }}
      />
    </article>
  );
}

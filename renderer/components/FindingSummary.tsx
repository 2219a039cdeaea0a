import type { Finding, Severity } from '../../electron/contract/index.js';

const severityLooks: Record<Severity, { symbol: string; label: string }> = {
  error: { symbol: '✕', label: 'error' },
  warning: { symbol: '!', label: 'warning' },
  info: { symbol: 'i', label: 'info' },
};

/** A severity as symbol and word. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  const look = severityLooks[severity];
  return (
    <span className={`severity severity-${severity}`}>
      <span aria-hidden="true">{look.symbol}</span> {look.label}
    </span>
  );
}

/** A finding: where it is, its code as a small tag, and its evidence collapsed. */
export function FindingSummary({ finding }: { finding: Finding }) {
  const where = [
    finding.pair ? `${finding.pair.from} → ${finding.pair.to}` : finding.nodes.join(', '),
    finding.protocol && finding.port ? `${finding.protocol.toUpperCase()} ${finding.port}` : null,
    finding.where,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <div className="finding-summary">
      <div className="finding-head">
        <SeverityBadge severity={finding.severity} />
        <span>{where}</span>
        <code className="code-tag">{finding.code}</code>
      </div>
      <details>
        <summary>Evidence ({finding.evidence.length})</summary>
        <ul className="evidence">
          {finding.evidence.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </details>
    </div>
  );
}

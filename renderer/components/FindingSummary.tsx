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

/** A finding's code, where it is, and its evidence. */
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
        <code>{finding.code}</code>
        <span className="muted">{where}</span>
      </div>
      <ul className="evidence">
        {finding.evidence.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
    </div>
  );
}

import type { RelayOffer, Remediation } from '../../electron/contract/index.js';
import { CopyButton, fixScript, HostFixBlock } from './FixPreview.js';

/**
 * A remediation, fix first: what to do, the host commands (with Apply when offered), the change request once, the
 * upstream change as copyable commands, and the relay through a third node when one is offered (with its own Apply).
 */
export function FixBox({
  remediation,
  onApply,
  onRelay,
  busy = false,
}: {
  remediation: Remediation;
  onApply?(node: string): void;
  onRelay?(offer: RelayOffer): void;
  busy?: boolean;
}) {
  const snippets = remediation.snippets ?? [];
  const relay = remediation.relay;
  return (
    <section className="fix-box" aria-label="Fix" data-testid="fix-box">
      <h5>Fix</h5>
      <p>{remediation.summary}</p>
      {remediation.hostFixes.length > 1 && <CopyButton text={fixScript(remediation)} label="Copy the commands for every host" />}
      {onApply && remediation.hostFixes.map((fix) => <HostFixBlock key={fix.node} fix={fix} busy={busy} onApply={onApply} />)}
      {!onApply && remediation.hostFixes.length > 0 && <pre className="commands">{fixScript(remediation)}</pre>}
      {remediation.changeRequest && (
        <div className="change-request">
          <strong>Outside the hosts:</strong> {remediation.changeRequest} <CopyButton text={remediation.changeRequest} label="Copy the change request" />
        </div>
      )}
      {snippets.map((s) => (
        <div key={s.tool} className="snippet" data-testid={`snippet-${s.tool}`}>
          <div className="snippet-head">
            <span>{s.label}</span>
            <CopyButton text={s.text} label={`Copy the ${s.tool} commands`} />
          </div>
          <pre className="commands">{s.text}</pre>
        </div>
      ))}
      {relay && (
        <div className="relay-offer" data-testid="relay-offer">
          <p>
            <span aria-hidden="true">↪ </span>
            {relay.summary}
          </p>
          {onRelay && (
            <button type="button" className="primary" disabled={busy} onClick={() => onRelay(relay)}>
              Apply: relay {relay.between.join(' ↔ ')} through {relay.via}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

import { useState } from 'react';
import type { HostFix, Remediation } from '../../electron/contract/index.js';

/** The shell text of a remediation, as copied. */
export function fixScript(remediation: Remediation, node?: string): string {
  return remediation.hostFixes
    .filter((fix) => !node || fix.node === node)
    .map((fix) => `# ${fix.target?.label ?? fix.node} (${fix.firewall})\n${fix.apply.join('\n')}`)
    .join('\n\n');
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

/** A Copy button that says whether it worked. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <button type="button" onClick={() => void copyText(text).then(setCopied)} aria-label={label}>
      {copied === null ? 'Copy' : copied ? '✓ Copied' : '✕ Copy failed'}
    </button>
  );
}

/** The exact commands of one host's fix, and those that undo it. */
export function HostFixBlock({ fix, onApply, busy }: { fix: HostFix; onApply(node: string): void; busy: boolean }) {
  const where = fix.target?.label ?? fix.node;
  return (
    <div className="host-fix">
      <div className="panel-head">
        <h5>
          {where} <span className="muted">({fix.firewall})</span>
        </h5>
        <div className="buttons">
          <CopyButton text={fix.apply.join('\n')} label={`Copy the commands for ${where}`} />
          <button type="button" className="primary" disabled={busy} onClick={() => onApply(fix.node)}>
            Apply on {where}…
          </button>
        </div>
      </div>
      <pre className="commands" aria-label={`Commands for ${where}`}>
        {fix.apply.join('\n')}
      </pre>
      <details>
        <summary>Undo commands (run automatically if the node is lost)</summary>
        <pre className="commands">{fix.revert.join('\n')}</pre>
      </details>
    </div>
  );
}

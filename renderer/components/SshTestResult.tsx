import type { MachineCheck, MachineTestResult } from '../../electron/contract/index.js';

const checkLabels: Record<MachineCheck, string> = { reach: 'Reached', hostKey: 'Host key', login: 'Login', sudo: 'Sudo' };

/** What Test SSH found, check by check; an unknown host key can be trusted from here. */
export function SshTestResult({ result, onTrust }: { result: MachineTestResult; onTrust(fingerprint: string): void }) {
  const key = result.hostKey;
  return (
    <div className="panel ssh-test" role="status" data-testid="ssh-test-result">
      <ul>
        {result.checks.map((c) => (
          <li key={c.check} className={c.ok ? 'ok' : 'error'} data-check={c.check}>
            {c.ok ? '✓' : '✕'} {checkLabels[c.check]}: {c.detail}
          </li>
        ))}
      </ul>
      {key && (
        <p className="muted">
          Host key of <code>{key.address}</code>
          {key.via && <> (through {key.via})</>}: <code data-testid="ssh-test-fingerprint">{key.fingerprint}</code>
          {!key.trusted && (
            <button type="button" onClick={() => onTrust(key.fingerprint)}>
              Trust this key and test again
            </button>
          )}
        </p>
      )}
      <p className={result.error ? 'field-error' : 'ok'}>
        {result.error ? (result.error.hint ?? result.error.message) : 'Every check passed'} ({(result.elapsedMs / 1000).toFixed(1)} s)
      </p>
    </div>
  );
}

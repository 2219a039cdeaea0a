import type { ErrorEnvelope } from '../../electron/contract/index.js';

/** A backend error envelope shown to people: the message, the hint, and the code for searching. */
export function ErrorNote({ error, testId }: { error: ErrorEnvelope; testId?: string }) {
  return (
    <div className="error-note" role="alert" data-testid={testId}>
      <strong>{error.message}</strong>
      {error.hint && <span> — {error.hint}</span>}
      <code className="code-tag">{error.code}</code>
    </div>
  );
}

import type { ErrorEnvelope } from '../../electron/contract/index.js';
import { EmptyState } from './EmptyState.js';

/** A backend error envelope shown to people: the message, the hint, and the code for searching; no cluster yet is a neutral note with one button. */
export function ErrorNote({ error, testId }: { error: ErrorEnvelope; testId?: string }) {
  if (error.code === 'NO_CLUSTER')
    return (
      <EmptyState action="Create a cluster" to="clusters">
        No cluster yet: create one, then add its machines.
      </EmptyState>
    );
  return (
    <div className="error-note" role="alert" data-testid={testId}>
      <strong>{error.message}</strong>
      {error.hint && <span> — {error.hint}</span>}
      <code className="code-tag">{error.code}</code>
    </div>
  );
}

import type { OnboardingResult } from '../../electron/contract/index.js';

/** What a settings push did on each node: applied, unchanged, or the step it failed at with the error's hint. */
export function PushResults({ results, testId }: { results: readonly OnboardingResult[]; testId: string }) {
  return (
    <ul data-testid={testId}>
      {results.map((r) => (
        <li key={r.machine}>
          {r.ok ? '✓' : '✕'} {r.machine}:{' '}
          {r.ok
            ? r.changed === false
              ? 'unchanged, nothing written or restarted'
              : 'applied'
            : `failed at ${r.failedStep}: ${r.error?.message}${r.error?.hint ? ` (fix: ${r.error.hint})` : ''}`}
        </li>
      ))}
    </ul>
  );
}

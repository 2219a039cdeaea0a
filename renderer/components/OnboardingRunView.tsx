import type { OnboardingStep, StepState } from '../../electron/contract/index.js';
import { stepOrder, useOnboardingStore, type MachineRun } from '../store/onboarding-slice.js';
import { ErrorNote } from './ErrorNote.js';
import { ProgressBar } from './ProgressBar.js';

const stepSymbols: Record<StepState, string> = { pending: '○', running: '◐', done: '✓', skipped: '↷', failed: '✕', cancelled: '■' };

/** One step of a run: symbol and word, coloured by state. */
function StepItem({ step, state }: { step: OnboardingStep; state: StepState }) {
  return (
    <li className={`step step-${state}`} aria-current={state === 'running' ? 'step' : undefined}>
      <span aria-hidden="true">{stepSymbols[state]}</span> {step} <span className="sr-only">{state}</span>
    </li>
  );
}

/** Live progress of one machine's onboarding: steps, bar, log, cancel and retry. */
export function OnboardingRunView({ machine, run }: { machine: string; run: MachineRun }) {
  const cancel = useOnboardingStore((s) => s.cancel);
  const onboard = useOnboardingStore((s) => s.onboard);
  const finished = run.status !== 'running';
  return (
    <section className={`panel run run-${run.status}`} aria-labelledby={`run-${machine}`} data-testid={`run-${machine}`}>
      <div className="panel-head">
        <h4 id={`run-${machine}`}>
          {machine} <span className="muted">— {run.status === 'running' ? 'onboarding' : run.status}</span>
        </h4>
        <div className="buttons">
          {!finished && (
            <button type="button" onClick={() => void cancel(machine)}>
              Cancel
            </button>
          )}
          {(run.status === 'failed' || run.status === 'cancelled') && (
            <button type="button" className="primary" onClick={() => void onboard([machine])}>
              Retry{run.failedStep ? ` from ${run.failedStep}` : ''}
            </button>
          )}
        </div>
      </div>
      <ProgressBar percent={run.percent} label={`Onboarding ${machine}`} />
      <ol className="steps" aria-label="Steps">
        {stepOrder.map((step) => (
          <StepItem key={step} step={step} state={run.steps[step]} />
        ))}
      </ol>
      {run.error && <ErrorNote error={run.error} testId={`run-${machine}-error`} />}
      <details open={run.status === 'failed'}>
        <summary>Log ({run.log.length} lines)</summary>
        <pre className="log" tabIndex={0} aria-label={`Log of ${machine}`}>
          {run.log.join('\n') || 'No output yet.'}
        </pre>
      </details>
    </section>
  );
}

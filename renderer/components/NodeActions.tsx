import { useState } from 'react';
import type { ErrorEnvelope } from '../../electron/contract/index.js';
import { useMachinesStore } from '../store/machines-slice.js';
import { useNavStore } from '../store/nav-slice.js';
import { useOnboardingStore } from '../store/onboarding-slice.js';
import { Dialog } from './Dialog.js';
import { ErrorNote } from './ErrorNote.js';

/** Upgrade (re-run onboarding with this app's agent bundle; steps are idempotent) and remove a node. */
export function NodeActions({ name }: { name: string }) {
  const onboard = useOnboardingStore((s) => s.onboard);
  const run = useOnboardingStore((s) => s.runs[name]);
  const go = useNavStore((s) => s.go);
  const [asking, setAsking] = useState(false);
  const [force, setForce] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [error, setError] = useState<ErrorEnvelope | null>(null);

  const remove = async (how: 'remove' | 'cleanup') => {
    setAsking(false);
    setError(null);
    setOutcome(how === 'remove' ? 'Removing…' : 'Cleaning up…');
    const machines = useMachinesStore.getState();
    const result = how === 'remove' ? await machines.removeNode(name, force) : await machines.cleanupNode(name);
    if (result.ok)
      setOutcome(
        result.value.cleaned
          ? `✓ ${name} removed; nothing of its agent is left on the host.`
          : `! ${name} removed; ${result.value.warning ?? 'the host was not cleaned'}`,
      );
    else {
      setOutcome(null);
      setError(result.error);
    }
  };

  return (
    <div className="stack">
      <div className="buttons">
        <button type="button" onClick={() => void onboard([name])} disabled={run?.status === 'running'}>
          Upgrade agent
        </button>
        <button type="button" onClick={() => go('machines')}>
          Show progress
        </button>
        <button type="button" className="danger" onClick={() => setAsking(true)}>
          Remove node…
        </button>
      </div>
      {run && (
        <p className="muted" role="status">
          Latest run: {run.status} ({run.percent}%)
        </p>
      )}
      {outcome && <p role="status">{outcome}</p>}
      {error && <ErrorNote error={error} />}
      {error?.code === 'REMOVE_INCOMPLETE' && (
        <button type="button" className="danger" onClick={() => void remove('cleanup')} data-testid="cleanup-node">
          Clean up
        </button>
      )}
      <Dialog
        title={`Remove ${name}?`}
        open={asking}
        onClose={() => setAsking(false)}
        testId="remove-node-dialog"
        actions={
          <>
            <button type="button" onClick={() => setAsking(false)}>
              Keep it
            </button>
            <button type="button" className="danger" onClick={() => void remove('remove')}>
              Remove
            </button>
          </>
        }
      >
        <p>This stops the agent on {name}, removes its WireGuard link, rules and files, and drops it from the inventory.</p>
        <label className="inline">
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Remove from the inventory even if the host cannot be reached
        </label>
      </Dialog>
    </div>
  );
}

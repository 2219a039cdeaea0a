import { useOnboardingStore } from '../store/onboarding-slice.js';
import { Dialog } from './Dialog.js';

/** Asks the user to confirm a host key seen for the first time; on confirm the machine is onboarded again with it. */
export function HostKeyDialog() {
  const prompt = useOnboardingStore((s) => s.prompts[0]);
  const accept = useOnboardingStore((s) => s.acceptHostKey);
  const reject = useOnboardingStore((s) => s.rejectHostKey);
  return (
    <Dialog
      title={prompt ? `Trust the host key of ${prompt.machine}?` : 'Trust the host key?'}
      open={prompt !== undefined}
      onClose={() => prompt && reject(prompt)}
      testId="host-key-dialog"
      actions={
        prompt && (
          <>
            <button type="button" onClick={() => reject(prompt)}>
              Don&apos;t trust
            </button>
            <button type="button" className="primary" onClick={() => void accept(prompt)}>
              Trust and onboard
            </button>
          </>
        )
      }
    >
      {prompt && (
        <>
          <p>
            This machine has not been seen before. Compare the fingerprint with the one the host prints (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`):
          </p>
          <p className="fingerprint">
            <code data-testid="host-key-fingerprint">{prompt.fingerprint}</code>
          </p>
          <p className="muted" data-testid="host-key-message">
            Presented by <code data-testid="host-key-address">{prompt.address}</code>
            {prompt.via && (
              <>
                {' '}
                through <code data-testid="host-key-via">{prompt.via}</code>
              </>
            )}
            . A key that changes later is refused.
          </p>
        </>
      )}
    </Dialog>
  );
}

import type { MachineSummary } from '../../electron/contract/index.js';
import { useMachinesStore } from '../store/machines-slice.js';
import { useOnboardingStore, type HostKeyPrompt } from '../store/onboarding-slice.js';
import { Dialog } from './Dialog.js';

/** One key waiting for a decision: the host that presented it, and every machine whose onboarding waits on it. */
interface PendingKey {
  fingerprint: string;
  address: string;
  via?: string;
  machines: string[];
  title: string;
}

const hostOf = (address: string) => {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), address.slice(address.lastIndexOf(':') + 1)];
  return port === '22' ? host : address;
};

/** Who presented the key: the machines themselves (`edge1 (198.18.2.10)`), or a jump host on their way (`Jump host 198.18.3.1, to reach edge1`). */
export function keyTitle(prompt: HostKeyPrompt, machine: MachineSummary | undefined, machines: string[]): string {
  const own =
    machine &&
    `${machine.ssh.host}:${machine.ssh.port}` === prompt.address &&
    (prompt.via ?? '') === machine.jump.map((j) => `${j.host}:${j.port}`).join(' > ');
  return own || !machine ? `${machines.join(', ')} (${hostOf(prompt.address)})` : `Jump host ${hostOf(prompt.address)}, to reach ${machines.join(', ')}`;
}

function pendingKeys(prompts: HostKeyPrompt[], machines: MachineSummary[]): PendingKey[] {
  const groups = new Map<string, HostKeyPrompt[]>();
  for (const p of prompts) {
    const key = `${p.fingerprint}|${p.address}|${p.via ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as HostKeyPrompt;
    const names = group.map((p) => p.machine);
    return {
      fingerprint: first.fingerprint,
      address: first.address,
      ...(first.via ? { via: first.via } : {}),
      machines: names,
      title: keyTitle(
        first,
        machines.find((m) => m.name === first.machine),
        names,
      ),
    };
  });
}

/** Every host key waiting for the user, in one dialog: trust each (its machines are onboarded again with it) or all at once. */
export function HostKeyDialog() {
  const prompts = useOnboardingStore((s) => s.prompts);
  const onboard = useOnboardingStore((s) => s.onboard);
  const reject = useOnboardingStore((s) => s.rejectHostKey);
  const machines = useMachinesStore((s) => s.machines);
  const keys = pendingKeys(prompts, machines);
  const trust = (chosen: PendingKey[]) => {
    const accept = Object.fromEntries(chosen.flatMap((k) => k.machines.map((m) => [m, k.fingerprint])));
    void onboard(Object.keys(accept), accept);
  };
  const dismiss = (key: PendingKey) => prompts.filter((p) => key.machines.includes(p.machine) && p.fingerprint === key.fingerprint).forEach(reject);
  const title = keys.length === 1 ? `Trust the host key of ${keys[0]?.title}?` : `Trust ${keys.length} host keys?`;
  return (
    <Dialog
      title={title}
      open={keys.length > 0}
      onClose={() => keys.forEach(dismiss)}
      testId="host-key-dialog"
      actions={
        keys.length > 1 && (
          <button type="button" className="primary" onClick={() => trust(keys)}>
            Trust all {keys.length} and onboard
          </button>
        )
      }
    >
      <p>
        These hosts have not been seen before. Compare each fingerprint with the one the host prints (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`); a key
        that changes later is refused.
      </p>
      {keys.map((key) => (
        <section key={`${key.fingerprint}|${key.address}|${key.via ?? ''}`} className="host-key" data-testid="host-key-entry">
          <h3 data-testid="host-key-title">{key.title}</h3>
          <p className="fingerprint">
            <code data-testid="host-key-fingerprint">{key.fingerprint}</code>
          </p>
          <p className="muted" data-testid="host-key-message">
            Presented by <code data-testid="host-key-address">{key.address}</code>
            {key.via && (
              <>
                {' '}
                through <code data-testid="host-key-via">{key.via}</code>
              </>
            )}
            .
          </p>
          <div className="buttons">
            <button type="button" onClick={() => dismiss(key)}>
              Don&apos;t trust
            </button>
            <button type="button" className="primary" onClick={() => trust([key])}>
              Trust and onboard
            </button>
          </div>
        </section>
      ))}
    </Dialog>
  );
}

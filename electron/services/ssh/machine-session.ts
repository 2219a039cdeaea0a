import type { MachineRow } from '../store/machines.js';
import type { HostKeyDecision, HostKeyStore } from './host-keys.js';
import { SshSession, type SshCredentials } from './session.js';

/** Opens an SSH session to a machine through its jump hosts; only trusted host keys unless `decision` says otherwise. */
export function openMachineSession(
  machine: Pick<MachineRow, 'ssh' | 'jump'>,
  credentials: SshCredentials,
  hostKeys: HostKeyStore,
  options: { decision?: HostKeyDecision; readyTimeoutMs?: number } = {},
): Promise<SshSession> {
  return SshSession.open({
    target: machine.ssh,
    jump: machine.jump,
    credentials,
    hostKeys,
    decision: options.decision ?? {},
    ...(options.readyTimeoutMs ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
  });
}

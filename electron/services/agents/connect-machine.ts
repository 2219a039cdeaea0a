import type { KeyPairPem } from '../../../agent/shared/pki.js';
import type { MachineCredentials } from '../machines/machine-service.js';
import type { HostKeyStore } from '../ssh/host-keys.js';
import { openMachineSession } from '../ssh/machine-session.js';
import type { SshSession } from '../ssh/session.js';
import type { MachineRow } from '../store/machines.js';
import { connectAgent, type AgentConnection } from './agent-connection.js';

/** An agent connection that also owns the SSH session its tunnel runs through, if any. */
export interface MachineAgent {
  connection: AgentConnection;
  /** Resolves when the SSH session under the tunnel drops (never for a direct connection). */
  lost: Promise<void>;
  close(): Promise<void>;
}

/** Opens one machine's agent the way the desktop reads it. */
export type MachineAgentOpener = (machine: MachineRow) => Promise<MachineAgent>;

/** Dependencies of the real opener: the cluster CA, credentials and host keys. */
export interface OpenerDeps {
  ca: () => KeyPairPem;
  credentials: (machine: MachineRow) => MachineCredentials;
  hostKeys: HostKeyStore;
  directTimeoutMs?: number;
}

/** Connects on TCP 50000 directly, else through an SSH tunnel (trusted host keys only). */
export function machineAgentOpener(deps: OpenerDeps): MachineAgentOpener {
  return async (machine) => {
    const ca = deps.ca();
    let session: SshSession | null = null;
    try {
      const target = { name: machine.name, host: machine.ssh.host };
      const connection = await connectAgent(target, ca, null, deps.directTimeoutMs ?? 2500).catch(async () => {
        session = await openMachineSession(machine, deps.credentials(machine), deps.hostKeys, { readyTimeoutMs: 8000 });
        return connectAgent(target, ca, session, 4000);
      });
      const opened = session as SshSession | null;
      return {
        connection,
        lost: opened ? opened.closed() : new Promise<void>(() => undefined),
        close: async () => {
          await connection.close();
          opened?.close();
        },
      };
    } catch (error) {
      (session as SshSession | null)?.close();
      throw error;
    }
  };
}

import type { MachineAgentOpener } from '../agents/connect-machine.js';
import type { MachineCredentials } from '../machines/machine-service.js';
import type { HostKeyStore } from '../ssh/host-keys.js';
import { runAsRoot } from '../ssh/privileged.js';
import { openMachineSession } from '../ssh/machine-session.js';
import type { MachineRow } from '../store/machines.js';
import type { HostShell } from './fix/revert-guard.js';
import type { GatherNode } from './gather/gather-service.js';

/** What reaching a machine needs: the agent opener, its credentials and the trusted host keys. */
export interface AccessDeps {
  opener: MachineAgentOpener;
  credentials: (machine: MachineRow) => MachineCredentials;
  hostKeys: HostKeyStore;
}

/** A new SSH session to the machine with a shell that runs scripts as root (sudo with the stored password when needed). */
export async function rootShell(machine: MachineRow, deps: AccessDeps): Promise<HostShell & { close(): void }> {
  const credentials = deps.credentials(machine);
  const session = await openMachineSession(machine, credentials, deps.hostKeys, { readyTimeoutMs: 10_000 });
  return { exec: (script) => runAsRoot(session, script, credentials.sudoPassword), close: () => session.close() };
}

/** A machine as the evidence gatherer reaches it. */
export function gatherNode(machine: MachineRow, deps: AccessDeps): GatherNode {
  return { name: machine.name, site: machine.site, sshHost: machine.ssh.host, agent: () => deps.opener(machine), rootShell: () => rootShell(machine, deps) };
}

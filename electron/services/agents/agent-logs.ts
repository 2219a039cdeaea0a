import type { MachineService } from '../machines/machine-service.js';
import { mustRunAsRoot } from '../ssh/privileged.js';
import type { HostKeyStore } from '../ssh/host-keys.js';
import { openMachineSession } from '../ssh/machine-session.js';
import { hostPaths } from '../../../agent/shared/host-paths.js';
import { makeScrubber } from '../secrets/scrub.js';

/** Reads a node's agent log over SSH: the supervisor's log file, or the journal under systemd. */
export class AgentLogService {
  constructor(private readonly deps: { machines: MachineService; hostKeys: HostKeyStore; clusterSecret: () => string }) {}

  async tail(name: string, lines: number): Promise<string[]> {
    const machine = this.deps.machines.get(name);
    const credentials = this.deps.machines.credentials(machine);
    const session = await openMachineSession(machine, credentials, this.deps.hostKeys);
    try {
      const log = `${hostPaths.logDir}/agent.log`;
      const output = await mustRunAsRoot(
        session,
        'agent log',
        `if [ -f ${log} ]; then tail -n ${lines} ${log}; else journalctl -u spanwise-agent -n ${lines} --no-pager -o short-iso 2>/dev/null; fi; true`,
        credentials.sudoPassword,
      );
      const scrub = makeScrubber([this.deps.clusterSecret(), credentials.password, credentials.sudoPassword]);
      return output
        .split('\n')
        .filter(Boolean)
        .map((line) => scrub(line).slice(0, 2000));
    } finally {
      session.close();
    }
  }
}

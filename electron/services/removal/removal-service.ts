import { SpanwiseError } from '../../../agent/shared/errors.js';
import type { ClusterService } from '../clusters/cluster-service.js';
import type { DomainEvents } from '../domain-events.js';
import type { MachineService } from '../machines/machine-service.js';
import { mustRunAsRoot } from '../ssh/privileged.js';
import type { HostKeyStore } from '../ssh/host-keys.js';
import { openMachineSession } from '../ssh/machine-session.js';
import type { MachineStore } from '../store/machines.js';
import { hostPaths } from '../../../agent/shared/host-paths.js';
import { bootHookRemoval, supervisedStop } from '../onboarding/supervisor.js';
import { packageRemoval, recordedMethod } from './package-removal.js';
import type { HostLeftover, RemovalResult } from '../../contract/onboarding.js';
import { describeLeftovers, verifyRemoved } from './leftovers.js';
import { reportWithoutNode } from './report-without-node.js';
import type { DiagnosisReportStore } from '../store/diagnosis-reports.js';
import type { EventBus } from '../events.js';

const agentCli = hostPaths.agent;

/** The host-side removal: leave discovery, stop the services (systemd, OpenRC, supervise and its boot hooks), clean the network, remove the agent's package if it came as one (see package-removal.ts), delete the files and logs. */
export const removalScript = `
if [ -x ${agentCli} ] && [ -f ${hostPaths.config} ]; then ${agentCli} leave --config ${hostPaths.config} || echo "warning: could not leave discovery" >&2; fi
if [ -d /run/systemd/system ]; then
  for unit in spanwise-agent spanwise-discovery; do systemctl disable --now $unit >/dev/null 2>&1; done
  rm -f ${hostPaths.agentUnit} ${hostPaths.discoveryUnit}; systemctl daemon-reload
fi
if [ -f ${hostPaths.openrcScript} ]; then
  rc-service spanwise-agent stop >/dev/null 2>&1; rc-update del spanwise-agent default >/dev/null 2>&1; rm -f ${hostPaths.openrcScript}
fi
${supervisedStop('agent')}
${supervisedStop('discovery')}
${bootHookRemoval('agent')}
${bootHookRemoval('discovery')}
if [ -x ${agentCli} ]; then ${agentCli} cleanup --config ${hostPaths.config} 2>/dev/null || ${agentCli} cleanup 2>/dev/null; fi
${packageRemoval}
rm -rf ${hostPaths.installDir} ${hostPaths.configDir} ${hostPaths.stateDir} ${hostPaths.runtimeDir} ${hostPaths.discoveryStateDir} ${hostPaths.discoveryPrivateStateDir} ${hostPaths.logDir}
echo removed
`;

/** Removes nodes: cleans the host over SSH, checks nothing of the agent is left, then forgets it. */
export class RemovalService {
  constructor(
    private readonly deps: {
      clusters: ClusterService;
      machines: MachineService;
      machineStore: MachineStore;
      hostKeys: HostKeyStore;
      inventory: DomainEvents;
      /** The last diagnosis, which forgets the removed node; its new version goes to the UIs. */
      reports: DiagnosisReportStore;
      events: EventBus;
    },
  ) {}

  /** With `force`, a host that cannot be reached or fully cleaned is still removed from the inventory. */
  remove(name: string, force: boolean): Promise<RemovalResult> {
    return this.clean(name, force, 10);
  }

  /** Retries a removal that left something on the host: runs it again, kills what still runs at once, checks again. */
  cleanup(name: string): Promise<RemovalResult> {
    return this.clean(name, false, 0);
  }

  private async clean(name: string, force: boolean, graceSeconds: number): Promise<RemovalResult> {
    const machine = this.deps.machines.get(name);
    const credentials = this.deps.machines.credentials(machine);
    this.setState(machine.cluster, name, 'removing');
    let warning: string | undefined;
    let left: HostLeftover[] = [];
    try {
      const session = await openMachineSession(machine, credentials, this.deps.hostKeys);
      try {
        await mustRunAsRoot(session, 'node removal', `${recordedMethod(machine.installMethod)}${removalScript}`, credentials.sudoPassword);
        left = await verifyRemoved(session, credentials.sudoPassword, graceSeconds);
      } finally {
        session.close();
      }
    } catch (error) {
      if (!force) {
        this.setState(machine.cluster, name, 'failed');
        const message = error instanceof SpanwiseError ? error.message : String(error);
        throw new SpanwiseError(
          'REMOVE_FAILED',
          `could not clean ${name}: ${message}`,
          'fix the cause and re-run, or use --force to forget the machine without cleaning it',
        );
      }
      warning = `${name} was not cleaned (${(error as Error).message}); remove /opt/spanwise, /etc/spanwise and /var/lib/spanwise and the kubespan link by hand`;
    }
    if (left.length && !force) {
      this.setState(machine.cluster, name, 'failed');
      throw new SpanwiseError(
        'REMOVE_INCOMPLETE',
        `${name} is not removed: its host still has ${describeLeftovers(left)}`,
        `retry with \`spanwise node cleanup ${name}\` (Clean up in the app), or forget it as it is with --force`,
        { left: describeLeftovers(left), count: left.length },
      );
    }
    if (left.length) warning = `${name} was removed from the inventory, but its host still has ${describeLeftovers(left)}`;
    this.deps.machineStore.delete(machine.cluster, name);
    this.deps.inventory.emit({ kind: 'machine-removed', cluster: machine.cluster, machine: name });
    this.forgetInDiagnosis(machine.cluster, name);
    return warning ? { cleaned: false, warning, left } : { cleaned: true, left };
  }

  private forgetInDiagnosis(cluster: string, name: string): void {
    const last = this.deps.reports.last(cluster);
    if (!last) return;
    const report = reportWithoutNode(last, name);
    this.deps.reports.save(cluster, report);
    if (this.deps.clusters.current().name === cluster) this.deps.events.emit('diagnosis:report', report);
  }

  private setState(cluster: string, machine: string, state: 'removing' | 'failed'): void {
    this.deps.machineStore.setState(cluster, machine, state);
    this.deps.inventory.emit({ kind: 'machine-state', cluster, machine, state });
  }
}

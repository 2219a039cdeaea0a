import { listResources } from '../../../agent/api/client.js';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import { ResourceType } from '../../../proto/gen/spanwise/agent/v1/agent.js';
import type { DiagnosisReport, Finding, FixResult, FixRevertResult, HostFix, Remediation } from '../../contract/diagnosis.js';
import { pairCodes } from '../../contract/mesh.js';
import { agentView } from '../agents/agent-view.js';
import type { ClusterService } from '../clusters/cluster-service.js';
import type { EventBus } from '../events.js';
import { resolveDiscovery } from '../onboarding/discovery-placement.js';
import type { DiagnosisReportStore } from '../store/diagnosis-reports.js';
import type { MachineRow, MachineStore } from '../store/machines.js';
import { withCauses } from './causes.js';
import { report } from './diagnose.js';
import { fixRoute, revertOnJumpHosts } from './fix/gateway-access.js';
import { GATEWAY_FIX_ID } from './fix/gateway-revert.js';
import { runFix } from './fix/fix-runner.js';
import { reportChanges } from './fix/report-changes.js';
import { revertFix } from './fix/revert-fix.js';
import type { EvidenceGatherer } from './gather/gather-service.js';
import { gatherNode, rootShell, type AccessDeps } from './node-access.js';
import { offerGatewayFixes } from './remediation/gateway-offer.js';

/** Dependencies of the diagnosis service. */
export interface DiagnosisDeps extends AccessDeps {
  clusters: ClusterService;
  machineStore: MachineStore;
  reports: DiagnosisReportStore;
  gatherer: EvidenceGatherer;
  events: EventBus;
}

/** Runs diagnoses (gather, then rules), keeps the last report, previews and applies fixes. */
export class DiagnosisService {
  constructor(private readonly deps: DiagnosisDeps) {}

  /** Gathers evidence from every machine of the current cluster and diagnoses it. */
  async run(): Promise<DiagnosisReport> {
    const cluster = this.deps.clusters.current();
    const machines = this.deps.machineStore.list(cluster.name);
    let discovery: string | null = null;
    try {
      discovery = new URL(resolveDiscovery(cluster.discovery, machines).url).host || null;
    } catch {
      discovery = null;
    }
    const started = performance.now();
    const evidence = await this.deps.gatherer.gather(
      machines.map((m) => gatherNode(m, this.deps)),
      discovery,
    );
    const links = new Map(evidence.nodes.map((n) => [n.name, n.addresses]));
    const result = offerGatewayFixes(
      report(evidence, performance.now() - started),
      machines.map((m) => ({ ...m, links: links.get(m.name) ?? [] })),
    );
    this.deps.reports.save(cluster.name, result);
    this.deps.events.emit('diagnosis:report', result);
    return result;
  }

  /** The same service gathering with another gatherer (e.g. a sequential baseline in benchmarks). */
  withGatherer(gatherer: EvidenceGatherer): DiagnosisService {
    return new DiagnosisService({ ...this.deps, gatherer });
  }

  last(): DiagnosisReport | null {
    const last = this.deps.reports.last(this.deps.clusters.current().name);
    return last && withCauses(last);
  }

  /** The remediation of a finding of the last report. */
  preview(findingId: string): Remediation {
    return this.finding(findingId).remediation;
  }

  /**
   * Applies a finding's host fix over SSH with an automatic revert if SSH or
   * the node's mesh is lost within `confirmSeconds`, then re-runs the diagnosis. With `persist`, a host
   * without a boot file for its firewall gets one, so the fix survives a reboot.
   */
  async apply(findingId: string, node: string | undefined, confirmSeconds: number, persist = false): Promise<FixResult> {
    return this.applyHostFix(findingId, pickFix(this.finding(findingId), node), confirmSeconds, undefined, persist);
  }

  /** Reverts a fix applied on a node (its live rules and what its boot loads), by the fixId the apply result named. */
  async revert(node: string, fixId: string): Promise<FixRevertResult> {
    const before = this.last();
    const result = GATEWAY_FIX_ID.test(fixId) ? await revertOnJumpHosts(this.machine(node), fixId, this.deps) : await this.revertOnNode(node, fixId);
    const after = await this.run().catch(() => null);
    return before && after ? { ...result, recheck: reportChanges(before, after) } : result;
  }

  private async revertOnNode(node: string, fixId: string): Promise<FixRevertResult> {
    const shell = await rootShell(this.machine(node), this.deps);
    try {
      return await revertFix(node, fixId, shell);
    } finally {
      shell.close();
    }
  }

  /**
   * Applies host firewall commands through the fix runner (armed revert,
   * confirmation over a new SSH session, mesh check, re-check of `findingId`).
   */
  async applyHostFix(findingId: string, fix: HostFix, confirmSeconds: number, log?: (line: string) => void, persist = false): Promise<FixResult> {
    const machine = this.machine(fix.node);
    const upBefore = await this.upPeers(machine);
    const route = await fixRoute(machine, fix, this.deps, () => rootShell(machine, this.deps));
    const reports = { before: this.last(), after: null as DiagnosisReport | null };
    const result = await runFix(
      findingId,
      route.fix,
      {
        openShell: route.openShell,
        meshHealthy: async () => (await this.upPeers(machine)) >= upBefore,
        recheck: async () => {
          reports.after = await this.run();
          return !reports.after.findings.some((f) => f.id === findingId);
        },
      },
      {
        confirmSeconds,
        persist,
        log: (line) => {
          this.deps.events.emit('fix:log', { findingId, node: fix.node, line });
          log?.(line);
        },
      },
    );
    const { before, after } = reports;
    return { ...result, commands: route.fix.apply, ...(before && after ? { recheck: reportChanges(before, after) } : {}) };
  }

  private async upPeers(machine: MachineRow): Promise<number> {
    const agent = await this.deps.opener(machine);
    try {
      const { resources } = await listResources(agent.connection.client, [ResourceType.RESOURCE_TYPE_PEER_STATUS]);
      return [...agentView(resources).peers.values()].filter((p) => p.state === pairCodes.up).length;
    } finally {
      await agent.close();
    }
  }

  private finding(id: string): Finding {
    const found = this.last()?.findings.find((f) => f.id === id);
    if (!found) throw new SpanwiseError('FINDING_NOT_FOUND', `no finding '${id}' in the last diagnosis`, "run 'spanwise diagnose' and use an id it prints");
    return found;
  }

  private machine(name: string): MachineRow {
    const row = this.deps.machineStore.get(this.deps.clusters.current().name, name);
    if (!row) throw new SpanwiseError('MACHINE_NOT_FOUND', `no machine named '${name}' in the current cluster`, "list machines with 'spanwise status'");
    return row;
  }
}

/** The host fix to apply: the one for `node`, or the only one. */
export function pickFix(finding: Finding, node: string | undefined): HostFix {
  const fixes = node ? finding.remediation.hostFixes.filter((f) => f.node === node) : finding.remediation.hostFixes;
  if (fixes.length === 0) {
    throw new SpanwiseError(
      'NO_HOST_FIX',
      `${finding.id} has no host firewall fix${node ? ` for ${node}` : ''}: ${finding.remediation.summary}`,
      finding.remediation.changeRequest ? 'send the change request to whoever runs that network' : 'see the remediation summary',
    );
  }
  if (fixes.length > 1)
    throw new SpanwiseError('FIX_NODE_REQUIRED', `${finding.id} has fixes for ${fixes.map((f) => f.node).join(', ')}`, 'name the node to fix');
  return fixes[0] as HostFix;
}

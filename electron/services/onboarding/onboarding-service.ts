import { SpanwiseError } from '../../../agent/shared/errors.js';
import type { InstallMethod, OnboardingResult, RunKind } from '../../contract/onboarding.js';
import type { ClusterService } from '../clusters/cluster-service.js';
import type { DomainEvents } from '../domain-events.js';
import { readAgentBundle, type AgentBundle, type AgentFiles } from '../agent-bundle.js';
import type { EventBus } from '../events.js';
import type { MachineService } from '../machines/machine-service.js';
import type { HostKeyDecision, HostKeyStore } from '../ssh/host-keys.js';
import type { MachineStore } from '../store/machines.js';
import type { RunStore } from '../store/runs.js';
import type { EmbeddedDiscovery } from '../discovery/embedded-discovery.js';
import { resolveDiscovery } from './discovery-placement.js';
import { runOnboarding, type RunnerDeps } from './runner.js';
import { packagesStep, preflightStep } from './steps-host.js';
import { certificateStep, configStep, uploadStep } from './steps-install.js';
import { discoveryStep, serviceStep, verifyStep } from './steps-service.js';
import { pushConfig, reconfigureSteps } from './reconfigure-plan.js';
import { pool } from '../../../agent/shared/pool.js';
import { VERSION } from '../../../agent/shared/version.js';
import { projectRoot } from '../paths.js';
import { AgentPackageSource, checkoutPackageBuilder, packageBuildCache, packagesDir } from './package-files.js';

/** How to onboard: how many machines at once, the user's host key decisions, and how to install the agent (`auto` when absent). */
export interface OnboardOptions {
  concurrency: number;
  hostKeys: { trustOnFirstUse: boolean; accept: Record<string, string> };
  install?: InstallMethod;
}

const steps: RunnerDeps['steps'] = {
  preflight: preflightStep,
  packages: packagesStep,
  upload: uploadStep,
  config: configStep,
  certificate: certificateStep,
  discovery: discoveryStep,
  service: serviceStep,
  verify: verifyStep,
};

/** Onboards machines of the current cluster: one click, many machines, safe to re-run. */
export class OnboardingService {
  private readonly running = new Map<string, AbortController>();
  private readonly packages: AgentPackageSource;

  constructor(
    private readonly deps: {
      clusters: ClusterService;
      machines: MachineService;
      machineStore: MachineStore;
      runs: RunStore;
      hostKeys: HostKeyStore;
      events: EventBus;
      agentFiles: AgentFiles;
      inventory: DomainEvents;
      embeddedDiscovery?: Pick<EmbeddedDiscovery, 'ensureServing'>;
    },
  ) {
    this.packages = new AgentPackageSource({ shipped: packagesDir(deps.agentFiles), cache: packageBuildCache() }, VERSION, checkoutPackageBuilder(projectRoot));
  }

  async onboard(names: string[], options: OnboardOptions): Promise<OnboardingResult[]> {
    const { machines, discoveryNode, runOne } = await this.prepare(names, options.hostKeys, { kind: 'onboard', steps, install: options.install ?? 'auto' });
    const first = machines.filter((m) => m.name === discoveryNode);
    const rest = machines.filter((m) => m.name !== discoveryNode);
    const firstResults = await pool(first, 1, runOne);
    return [...firstResults, ...(await pool(rest, options.concurrency, runOne))];
  }

  /**
   * Pushes the cluster's saved settings to onboarded machines: each gets its agent config, written and the agent
   * restarted only where it changed, then checked to answer (reconfigure-plan.ts). Their state stays `onboarded`.
   */
  async reconfigure(names: string[], hostKeys: OnboardOptions['hostKeys']): Promise<OnboardingResult[]> {
    const { machines, runOne } = await this.prepare(names, hostKeys, { kind: 'push', steps: reconfigureSteps });
    return pushConfig(machines, runOne);
  }

  /**
   * Checks what a run of `names` needs; returns the machines and how to run one. An onboarding installs the agent
   * with `install`; a settings push installs nothing.
   */
  private async prepare(names: string[], hostKeys: OnboardOptions['hostKeys'], plan: { kind: RunKind; steps: RunnerDeps['steps']; install?: InstallMethod }) {
    const cluster = this.deps.clusters.current();
    const secrets = this.deps.clusters.secretsOf(cluster.name);
    const all = this.deps.machineStore.list(cluster.name);
    const machines = names.map((name) => this.deps.machines.get(name));
    const discovery = resolveDiscovery(cluster.discovery, all);
    const settings = this.deps.clusters.settings(cluster.name);
    const bundle = await this.bundle();
    if (discovery.embedded) await this.requireEmbedded(cluster.name, discovery.embedded.port);
    const busy = machines.filter((m) => this.running.has(m.name)).map((m) => m.name);
    if (busy.length) throw new SpanwiseError('ONBOARDING_RUNNING', `already onboarding ${busy.join(', ')}`, 'wait for it to finish or cancel it');
    const runOne = (machine: (typeof machines)[number]) => {
      const controller = new AbortController();
      this.running.set(machine.name, controller);
      const decision: HostKeyDecision = {
        trustOnFirstUse: hostKeys.trustOnFirstUse,
        ...(hostKeys.accept[machine.name] ? { acceptFingerprint: hostKeys.accept[machine.name] } : {}),
      };
      return runOnboarding(
        {
          runs: this.deps.runs,
          events: this.deps.events,
          hostKeys: this.deps.hostKeys,
          steps: plan.steps,
          setMachineState: (m, state) => {
            this.deps.machineStore.setState(m.cluster, m.name, state);
            this.deps.inventory.emit({ kind: 'machine-state', cluster: m.cluster, machine: m.name, state });
          },
          recordUnderlayMtu: (m, mtu) => this.deps.machineStore.setUnderlayMtu(m.cluster, m.name, mtu),
          recordInstallMethod: (m, method) => this.deps.machineStore.setInstallMethod(m.cluster, m.name, method),
        },
        {
          kind: plan.kind,
          machine,
          credentials: this.deps.machines.credentials(machine),
          cluster: {
            name: cluster.name,
            clusterId: secrets.clusterId,
            secret: secrets.secret,
            ca: secrets.ca,
            discoveryUrl: discovery.url,
            discoveryTls: discovery.tls,
            settings,
            ...(discovery.embedded ? { embeddedDiscovery: discovery.embedded } : {}),
          },
          hostsDiscovery: machine.name === discovery.node,
          discoveryPort: discovery.port,
          bundle,
          ...(plan.install ? { install: { requested: plan.install, packages: this.packages } } : {}),
          decision,
          signal: controller.signal,
        },
      ).finally(() => this.running.delete(machine.name));
    };
    return { machines, discoveryNode: discovery.node, runOne };
  }

  cancel(name: string): boolean {
    const controller = this.running.get(name);
    controller?.abort();
    return controller !== undefined;
  }

  /** Embedded discovery must be served (by this process or the app on the same data dir) before nodes are pointed at it. */
  private async requireEmbedded(cluster: string, port: number): Promise<void> {
    if (!this.deps.embeddedDiscovery)
      throw new SpanwiseError(
        'DISCOVERY_EMBEDDED_NOT_RUNNING',
        `cluster '${cluster}' uses this app's discovery, and this backend does not run it`,
        'onboard from the app or `spanwise web`, or from `spanwise node onboard`',
      );
    await this.deps.embeddedDiscovery.ensureServing(cluster, port);
  }

  private async bundle(): Promise<AgentBundle> {
    const bundle = await readAgentBundle(this.deps.agentFiles);
    if (!bundle)
      throw new SpanwiseError(
        'AGENT_BUNDLE_MISSING',
        `the agent bundle ${this.deps.agentFiles.agentBundle} or its unit ${this.deps.agentFiles.agentUnit} is missing`,
        'run npm run build',
      );
    return bundle;
  }
}

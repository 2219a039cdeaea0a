import type { KeyPairPem } from '../../../agent/shared/pki.js';
import type { AgentBundle } from '../agent-bundle.js';
import type { EmbeddedDiscoveryTarget } from '../discovery/node-address.js';
import type { InstallMethod, OnboardingStep } from '../../contract/onboarding.js';
import type { ClusterSettings } from '../../contract/settings.js';
import type { SshSession } from '../ssh/session.js';
import type { MachineRow } from '../store/machines.js';
import type { InstallPlan } from './install-choice.js';
import type { AgentPackageSource } from './package-files.js';
import type { PreflightFacts } from './preflight.js';

/** Everything a step needs; built by the runner for one machine's run. */
export interface StepContext {
  machine: MachineRow;
  /**
   * `discoveryUrl` is final before the config step, except with embedded discovery: the config step finds it per node.
   * `discoveryTls`: the cluster's discovery runs on a node and serves TLS with a certificate of `ca`, which agents check it against.
   */
  cluster: {
    name: string;
    clusterId: string;
    secret: string;
    ca: KeyPairPem;
    discoveryUrl: string;
    discoveryTls?: boolean;
    settings: ClusterSettings;
    embeddedDiscovery?: EmbeddedDiscoveryTarget;
  };
  /** True on the node that hosts the cluster's discovery service. */
  hostsDiscovery: boolean;
  discoveryPort: number;
  bundle: AgentBundle;
  session: SshSession;
  sudoPassword: string | null;
  /** Filled by the preflight step. */
  facts?: PreflightFacts;
  /** How the agent is installed: the requested method, where packages come from, and the plan pre-flight chose (files when absent). */
  install?: { requested: InstallMethod; packages: AgentPackageSource; plan?: InstallPlan };
  /** Set when a step changed something the running agent must pick up. */
  restartAgent: boolean;
  signal: AbortSignal;
  log(line: string): void;
  /** Sends the step's new log lines now, as a `running` progress event (for byte progress within a step). */
  flush?(): void;
}

/** One step: returns 'skipped' when there was nothing to do. */
export type StepRunner = (ctx: StepContext) => Promise<'done' | 'skipped'>;

/** The runners of every step, by name. */
export type StepTable = Record<OnboardingStep, StepRunner>;

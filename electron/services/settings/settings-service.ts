import { agentConfigSchema } from '../../../agent/config/schema.js';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import { fieldPath } from '../../../agent/shared/validation.js';
import type { OnboardingResult } from '../../contract/onboarding.js';
import type { ClusterSettings, SettingsView } from '../../contract/settings.js';
import type { ClusterService } from '../clusters/cluster-service.js';
import { agentConfigFor } from '../onboarding/agent-config.js';
import type { OnboardingService } from '../onboarding/onboarding-service.js';
import type { MachineStore } from '../store/machines.js';
import { relayProblems } from './relay-checks.js';

/** Agent config paths back to the settings fields people edit. */
const settingsField: Record<string, string> = {
  'filters.endpoints': 'endpointFilters',
  'filters.excludeAdvertisedNetworks': 'excludeAdvertisedNetworks',
  'discovery.endpoints': 'extraDiscoveryEndpoints',
};

function settingsPath(path: readonly PropertyKey[]): string {
  const text = fieldPath(path);
  const prefix = Object.keys(settingsField).find((p) => text.startsWith(p));
  return prefix ? `settings.${settingsField[prefix]}${text.slice(prefix.length)}` : `settings.${text}`;
}

/** Reads, checks and applies a cluster's mesh settings. */
export class SettingsService {
  constructor(private readonly deps: { clusters: ClusterService; machineStore: MachineStore; onboarding: OnboardingService }) {}

  get(): SettingsView {
    const cluster = this.deps.clusters.current().name;
    const mtus = this.deps.machineStore.list(cluster).flatMap((m) => (m.underlayMtu ? [{ name: m.name, mtu: m.underlayMtu }] : []));
    const smallest = mtus.reduce<{ name: string; mtu: number } | null>((min, m) => (!min || m.mtu < min.mtu ? m : min), null);
    return {
      cluster,
      settings: this.deps.clusters.settings(cluster),
      recommendedMtu: smallest ? Math.max(1280, smallest.mtu - 80) : null,
      recommendation: smallest
        ? `${smallest.name}'s default-route link has MTU ${smallest.mtu}, the smallest in the cluster; the mesh needs 80 bytes for IPv6 outer headers`
        : 'onboard a node to measure its link MTU',
    };
  }

  /**
   * Checks the settings with the agent's own config schema and the relays against the cluster's
   * machines (nothing is saved on error), saves them, then pushes them to the onboarded nodes' agents (only config,
   * restart and check; see OnboardingService.reconfigure). Without `relays` the saved ones stay.
   */
  async update(input: ClusterSettings, apply: boolean): Promise<{ view: SettingsView; applied: OnboardingResult[] }> {
    const cluster = this.deps.clusters.current().name;
    const relays = input.relays ?? this.deps.clusters.settings(cluster).relays;
    const settings = relays ? { ...input, relays } : input;
    const machines = new Set(this.deps.machineStore.list(cluster).map((m) => m.name));
    const problems = relayProblems(relays ?? [], machines, cluster);
    if (problems.length) throw new SpanwiseError('INVALID_SETTINGS', problems.join('; '), 'correct the named settings; nothing was saved');
    const probe = agentConfigFor({
      machine: { name: 'check', role: 'worker' },
      cluster: { clusterId: 'check', secret: Buffer.alloc(32).toString('base64'), discoveryUrl: 'http://127.0.0.1:3000', settings },
    });
    const parsed = agentConfigSchema.safeParse(probe);
    if (!parsed.success) {
      const message = parsed.error.issues.map((issue) => `${settingsPath(issue.path)}: ${issue.message}`).join('; ');
      throw new SpanwiseError('INVALID_SETTINGS', message, 'correct the named settings; nothing was saved');
    }
    this.deps.clusters.saveSettings(cluster, settings);
    const onboarded = this.deps.machineStore
      .list(cluster)
      .filter((m) => m.state === 'onboarded')
      .map((m) => m.name);
    const applied = apply && onboarded.length ? await this.deps.onboarding.reconfigure(onboarded, { trustOnFirstUse: false, accept: {} }) : [];
    return { view: this.get(), applied };
  }
}

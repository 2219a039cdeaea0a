import { stringify } from 'yaml';
import { agentConfigSchema } from '../../../agent/config/schema.js';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import { describeIssues } from '../../../agent/shared/validation.js';
import type { StepContext } from './context.js';
import { hostPaths } from '../../../agent/shared/host-paths.js';
import { AGENT_METRICS_PORT } from '../../../agent/shared/ports.js';

/** What a config is made of: the machine's name and role, and the cluster's id, secret, discovery and settings. */
export interface ConfigInputs {
  machine: Pick<StepContext['machine'], 'name' | 'role'> & Partial<Pick<StepContext['machine'], 'site'>>;
  cluster: Pick<StepContext['cluster'], 'clusterId' | 'secret' | 'discoveryUrl' | 'settings'> & Partial<Pick<StepContext['cluster'], 'discoveryTls'>>;
}

/** The agent config object for a machine (holds the cluster secret). */
export function agentConfigFor(ctx: ConfigInputs): Record<string, unknown> {
  const { settings } = ctx.cluster;
  return {
    mtu: settings.mtu,
    allowDownPeerBypass: settings.allowDownPeerBypass,
    advertiseKubernetesNetworks: settings.advertiseKubernetesNetworks,
    harvestExtraEndpoints: settings.harvestExtraEndpoints,
    filters: { endpoints: settings.endpointFilters, excludeAdvertisedNetworks: settings.excludeAdvertisedNetworks },
    ...(settings.relays?.length ? { relays: settings.relays } : {}),
    ...(settings.relayMode === 'auto' ? { relayMode: 'auto' } : {}),
    cluster: { id: ctx.cluster.clusterId, secret: ctx.cluster.secret },
    discovery: {
      endpoints: [...new Set([ctx.cluster.discoveryUrl, ...settings.extraDiscoveryEndpoints])],
      // The cluster's own discovery is checked against the cluster CA the agent already holds; other https endpoints against the system roots.
      ...(ctx.cluster.discoveryTls ? { clusterCa: { file: hostPaths.caCert, endpoints: [ctx.cluster.discoveryUrl] } } : {}),
    },
    api: { listen: '0.0.0.0:50000', ca: hostPaths.caCert, cert: hostPaths.cert, key: hostPaths.key },
    metrics: { listen: `${settings.agentMetrics ? 'mesh' : '127.0.0.1'}:${AGENT_METRICS_PORT}` },
    stateDir: hostPaths.stateDir,
    runtimeDir: hostPaths.runtimeDir,
    node: {
      hostname: ctx.machine.name,
      machineType: ctx.machine.role,
      ...(settings.relayMode === 'auto' && ctx.machine.site ? { site: ctx.machine.site } : {}),
    },
  };
}

/** Renders the agent's YAML config for a machine, validated with the agent's own schema. */
export function renderAgentConfig(ctx: ConfigInputs): string {
  const config = agentConfigFor(ctx);
  const parsed = agentConfigSchema.safeParse(config);
  if (!parsed.success)
    throw new SpanwiseError('CONFIG_INVALID', `agent config for ${ctx.machine.name}: ${describeIssues(parsed.error, 'config')}`, 'fix the cluster settings');
  return `# Written by Spanwise for ${ctx.machine.name}; changes are replaced on the next onboarding.\n${stringify(config)}`;
}

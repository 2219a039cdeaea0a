import { stringify } from 'yaml';
import { agentConfigSchema } from '../../../agent/config/schema.js';
import { SpanwiseError } from '../../../agent/lib/errors.js';
import { describeIssues } from '../../../agent/lib/validation.js';
import type { StepContext } from './context.js';
import { hostPaths } from './host-paths.js';

/** Renders the agent's YAML config for a machine, validated with the agent's own schema. */
export function renderAgentConfig(ctx: Pick<StepContext, 'machine' | 'cluster'>): string {
  const config = {
    cluster: { id: ctx.cluster.clusterId, secret: ctx.cluster.secret },
    discovery: { endpoints: [ctx.cluster.discoveryUrl] },
    api: { listen: '0.0.0.0:50000', ca: hostPaths.caCert, cert: hostPaths.cert, key: hostPaths.key },
    stateDir: hostPaths.stateDir,
    runtimeDir: hostPaths.runtimeDir,
    node: { hostname: ctx.machine.name, machineType: ctx.machine.role },
  };
  const parsed = agentConfigSchema.safeParse(config);
  if (!parsed.success) throw new SpanwiseError('CONFIG_INVALID', `agent config for ${ctx.machine.name}: ${describeIssues(parsed.error, 'config')}`, 'fix the cluster settings');
  return `# Written by Spanwise for ${ctx.machine.name}; changes are replaced on the next onboarding.\n${stringify(config)}`;
}

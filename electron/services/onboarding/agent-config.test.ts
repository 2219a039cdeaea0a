import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { agentConfigSchema } from '../../../agent/config/schema.js';
import { clusterSettingsSchema } from '../../contract/settings.js';
import { renderAgentConfig, type ConfigInputs } from './agent-config.js';

const inputs = (relayMode: 'manual' | 'auto'): ConfigInputs => ({
  machine: { name: 'edge1', role: 'worker', site: 'edge' },
  cluster: {
    clusterId: 'c1',
    secret: Buffer.alloc(32, 7).toString('base64'),
    discoveryUrl: 'http://127.0.0.1:3000',
    settings: clusterSettingsSchema.parse({ relayMode }),
  },
});

describe('the agent config', () => {
  it('leaves node.site out in manual relay mode, so agents that predate it accept the config', () => {
    const config = parse(renderAgentConfig(inputs('manual')));
    expect(config.node).toEqual({ hostname: 'edge1', machineType: 'worker' });
    expect(config.relayMode).toBeUndefined();
  });

  it('names the site in auto relay mode, which uses it', () => {
    const config = parse(renderAgentConfig(inputs('auto')));
    expect(config.node).toEqual({ hostname: 'edge1', machineType: 'worker', site: 'edge' });
    expect(agentConfigSchema.safeParse(config).success).toBe(true);
  });
});

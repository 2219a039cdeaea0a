import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentConfigSchema } from '../../../agent/config/schema.js';
import { clusterSettingsSchema } from '../../contract/settings.js';
import { createServices, type Services } from '../index.js';
import { agentConfigFor } from '../onboarding/agent-config.js';
import { MachineStore } from '../store/machines.js';
import { openDatabase } from '../store/database.js';

describe('cluster settings', () => {
  let services: Services;
  let dataDir: string;
  beforeEach(async () => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'spanwise-settings-')), 'data');
    services = createServices({ mode: 'web', dataDir });
    await services.clusters.create('prod', { mode: 'embedded', port: 3000 });
  });
  afterEach(() => services.close());

  it('starts from the KubeSpan defaults', () => {
    expect(services.settings.get()).toMatchObject({
      cluster: 'prod',
      settings: { mtu: 1420, allowDownPeerBypass: false, endpointFilters: [] },
      recommendedMtu: null,
    });
  });

  it('names the bad field and saves nothing', async () => {
    const bad = { ...clusterSettingsSchema.parse({}), endpointFilters: ['10.0.0.0/8', 'not-a-cidr'], excludeAdvertisedNetworks: ['192.168.0.0/33'] };
    await expect(services.settings.update(bad, false)).rejects.toThrow(
      /settings\.endpointFilters\[1\]: 'not-a-cidr'.*settings\.excludeAdvertisedNetworks\[0\]/,
    );
    expect(services.settings.get().settings.endpointFilters).toEqual([]);
  });

  it('saves valid settings, which every agent config then carries', async () => {
    const good = clusterSettingsSchema.parse({ mtu: 1380, endpointFilters: ['198.18.0.0/15', '!198.18.3.0/24'], allowDownPeerBypass: true });
    const { view, applied } = await services.settings.update(good, true);
    expect(applied).toEqual([]);
    expect(view.settings).toEqual(good);
    services.close();
    services = createServices({ mode: 'web', dataDir });
    expect(services.settings.get().settings).toEqual(good);
  });

  it('turns agent metrics on for the mesh address, loopback only by default', async () => {
    const metricsOf = (settings: ReturnType<typeof clusterSettingsSchema.parse>) =>
      agentConfigSchema.parse(
        agentConfigFor({
          machine: { name: 'edge1', role: 'worker' },
          cluster: { clusterId: 'c', secret: Buffer.alloc(32, 1).toString('base64'), discoveryUrl: 'http://127.0.0.1:3000', settings },
        }),
      ).metrics;
    expect(services.settings.get().settings.agentMetrics).toBe(false);
    expect(metricsOf(services.settings.get().settings)).toEqual({ enabled: true, listen: '127.0.0.1:9587' });
    const { view } = await services.settings.update(clusterSettingsSchema.parse({ agentMetrics: true }), false);
    expect(view.settings.agentMetrics).toBe(true);
    expect(metricsOf(view.settings)).toEqual({ enabled: true, listen: 'mesh:9587' });
  });

  it('recommends the smallest underlay MTU minus 80', () => {
    services.machines.add({ name: 'edge1', ssh: { user: 'root', host: 'h1' }, auth: { useAgent: true } });
    services.machines.add({ name: 'cloud1', ssh: { user: 'root', host: 'h2' }, auth: { useAgent: true } });
    const db = openDatabase(dataDir);
    const store = new MachineStore(db);
    store.setUnderlayMtu('prod', 'edge1', 1492);
    store.setUnderlayMtu('prod', 'cloud1', 1500);
    db.close();
    expect(services.settings.get()).toMatchObject({ recommendedMtu: 1412, recommendation: expect.stringContaining('edge1') });
  });
});

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

describe('relays in the cluster settings', () => {
  let services: Services;
  beforeEach(async () => {
    services = createServices({ mode: 'web', dataDir: join(mkdtempSync(join(tmpdir(), 'spanwise-relays-')), 'data') });
    await services.clusters.create('prod', { mode: 'embedded', port: 3000 });
    for (const name of ['edge1', 'edge2', 'cloud1']) services.machines.add({ name, ssh: { user: 'root', host: name }, auth: { useAgent: true } });
  });
  afterEach(() => services.close());
  const relay = { between: ['edge1', 'edge2'] as [string, string], via: 'cloud1' };

  it('saves a relay between machines, which every agent config carries, and keeps it when an update leaves it out', async () => {
    const { view } = await services.settings.update(clusterSettingsSchema.parse({ relays: [relay] }), false);
    expect(view.settings.relays).toEqual([relay]);
    const config = agentConfigSchema.parse(
      agentConfigFor({
        machine: { name: 'edge1', role: 'worker' },
        cluster: { clusterId: 'c', secret: Buffer.alloc(32, 1).toString('base64'), discoveryUrl: 'http://127.0.0.1:3000', settings: view.settings },
      }),
    );
    expect(config.relays).toEqual([relay]);
    const { view: later } = await services.settings.update(clusterSettingsSchema.parse({ mtu: 1380 }), false);
    expect(later.settings).toMatchObject({ mtu: 1380, relays: [relay] });
    expect((await services.settings.update(clusterSettingsSchema.parse({ relays: [] }), false)).view.settings.relays).toEqual([]);
  });

  it('refuses a relay with a member that is not a machine of the cluster, naming the field, and saves nothing', async () => {
    const talos = clusterSettingsSchema.parse({ relays: [{ between: ['edge1', 'talos1'], via: 'cloud1' }] });
    await expect(services.settings.update(talos, false)).rejects.toThrow(/settings\.relays\[0\]\.between\[1\]: 'talos1' is not a Spanwise machine.*Talos/);
    expect(services.settings.get().settings.relays).toBeUndefined();
  });

  it('checks the shape: three different machines, one relay a pair', () => {
    const issues = (relays: unknown) => clusterSettingsSchema.safeParse({ relays }).error?.issues.map((i) => i.message) ?? [];
    expect(issues([{ between: ['edge1', 'edge2'], via: 'edge1' }])).toEqual(['a relay names three different machines: two ends and the relay']);
    expect(issues([relay, { between: ['edge2', 'edge1'], via: 'cloud2' }])).toEqual(['a pair may have one relay only; remove the old one first']);
    expect(issues([relay])).toEqual([]);
  });
});

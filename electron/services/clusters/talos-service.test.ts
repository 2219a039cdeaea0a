import { X509Certificate } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { DiscoveryPlacement, ErrorEnvelope, TalosPatch } from '../../contract/index.js';
import { createHandlers, type Handlers } from '../../handlers/index.js';
import { dispatch } from '../../ipc/dispatch.js';
import { createServices, type Services } from '../index.js';
import { SECRET_PLACEHOLDER } from './talos-patch.js';

describe('the Talos machine config patch, through the contract', () => {
  let services: Services;
  let handlers: Handlers;
  beforeEach(() => {
    services = createServices({ mode: 'web', dataDir: join(mkdtempSync(join(tmpdir(), 'spanwise-talos-patch-')), 'data') });
    handlers = createHandlers(services);
  });
  afterEach(() => services.close());

  async function patchOf(name: string, discovery: DiscoveryPlacement, showSecrets?: boolean): Promise<TalosPatch> {
    await services.clusters.create(name, discovery);
    const result = await dispatch(handlers, 'cluster:talosPatch', { name, ...(showSecrets === undefined ? {} : { showSecrets }) });
    if (!result.ok) throw new Error(result.error.message);
    return result.value as TalosPatch;
  }

  const documentsOf = (patch: TalosPatch) => parseAllDocuments(patch.patch).map((d) => (d.errors.length ? d.errors : d.toJS()) as Record<string, unknown>);

  it('joins Talos nodes with the cluster id, the secret only when asked, discovery over TLS with the cluster CA, and the KubeSpan settings', async () => {
    await services.clusters.create('prod', { mode: 'node', port: 3000 });
    services.machines.add({
      name: 'cloud1',
      ssh: { host: '203.0.113.7', port: 22, user: 'root' },
      auth: { useAgent: true },
      jump: [],
      site: 'cloud',
      role: 'worker',
    });
    const hidden = ((await dispatch(handlers, 'cluster:talosPatch', { name: 'prod' })) as { ok: true; value: TalosPatch }).value;
    await services.settings.update(
      { ...services.settings.get().settings, mtu: 1380, allowDownPeerBypass: true, endpointFilters: ['0.0.0.0/0', '!10.0.0.0/8'] },
      false,
    );
    const shown = (await dispatch(handlers, 'cluster:talosPatch', { showSecrets: true })) as { ok: true; value: TalosPatch };
    const secrets = services.clusters.secretsOf('prod');

    expect(hidden).toMatchObject({ cluster: 'prod', discoveryEndpoint: 'https://203.0.113.7:3000/', trustedRoots: true, secretShown: false, warnings: [] });
    expect(hidden.patch).not.toContain(secrets.secret);
    expect(hidden.patch).toMatch(/^# .*\n# cluster\.secret is a placeholder: run 'spanwise cluster talos-patch prod -o spanwise-patch\.yaml'\n/);
    const [main, roots, ...rest] = documentsOf(hidden);
    expect(rest).toEqual([]);
    expect(main).toEqual({
      machine: {
        network: { kubespan: { enabled: true, advertiseKubernetesNetworks: false, allowDownPeerBypass: false, harvestExtraEndpoints: false, mtu: 1420 } },
      },
      cluster: {
        id: secrets.clusterId,
        secret: SECRET_PLACEHOLDER,
        discovery: { enabled: true, registries: { kubernetes: { disabled: true }, service: { endpoint: 'https://203.0.113.7:3000/' } } },
      },
    });
    expect(roots).toEqual({ apiVersion: 'v1alpha1', kind: 'TrustedRootsConfig', name: 'spanwise-prod-ca', certificates: `${secrets.ca.certPem.trim()}\n` });
    expect(new X509Certificate(String(roots?.certificates)).fingerprint256).toBe(new X509Certificate(secrets.ca.certPem).fingerprint256);

    expect(shown.value.secretShown).toBe(true);
    const [shownMain] = documentsOf(shown.value);
    expect(shownMain).toMatchObject({
      cluster: { secret: secrets.secret },
      machine: { network: { kubespan: { mtu: 1380, allowDownPeerBypass: true, filters: { endpoints: ['0.0.0.0/0', '!10.0.0.0/8'] } } } },
    });
    expect(Buffer.from(String((shownMain?.cluster as { secret: string }).secret), 'base64')).toHaveLength(32);
  });

  it('has no TrustedRootsConfig for plain h2c discovery, an external URL, or discovery in this app at a fixed address', async () => {
    const cases: [string, DiscoveryPlacement, string][] = [
      ['lan', { mode: 'embedded', port: 3100, address: '192.168.1.20' }, 'http://192.168.1.20:3100/'],
      ['ext', { mode: 'url', url: 'https://discovery.talos.dev' }, 'https://discovery.talos.dev/'],
      ['own', { mode: 'url', url: 'discovery.example.net:3000' }, 'http://discovery.example.net:3000/'],
      ['six', { mode: 'embedded', port: 3000, address: 'fd00::20' }, 'http://[fd00::20]:3000/'],
    ];
    for (const [name, placement, endpoint] of cases) {
      const patch = await patchOf(name, placement, false);
      expect(patch).toMatchObject({ discoveryEndpoint: endpoint, trustedRoots: false });
      const documents = documentsOf(patch);
      expect(documents).toHaveLength(1);
      expect(documents[0]).toMatchObject({ cluster: { discovery: { registries: { service: { endpoint } } } } });
    }
  });

  it('refuses embedded discovery with no fixed address, and names the fix', async () => {
    await services.clusters.create('home', { mode: 'embedded', port: 3000 });
    const result = await dispatch(handlers, 'cluster:talosPatch', { name: 'home' });
    expect(result.ok).toBe(false);
    expect((result as { error: ErrorEnvelope }).error).toMatchObject({
      code: 'TALOS_DISCOVERY_ADDRESS',
      hint: expect.stringContaining('--discovery-address HOST') as unknown,
    });
  });

  it('creates a cluster from a Talos file sent as text, and refuses one over 1 MiB without creating anything', async () => {
    const secret = Buffer.alloc(32, 5).toString('base64');
    const config = `cluster:\n  id: talos-id-1\n  secret: ${secret}\n`;
    const created = await dispatch(handlers, 'cluster:createFromTalos', { name: 'edge', config });
    expect(created).toMatchObject({ ok: true, value: { source: 'secrets', cluster: { name: 'edge', clusterId: 'talos-id-1', current: true } } });
    expect(services.clusters.secretsOf('edge').secret).toBe(secret);
    const big = await dispatch(handlers, 'cluster:createFromTalos', { name: 'big', config: `${config}#${'x'.repeat(1 << 20)}` });
    expect(big).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: expect.stringContaining('config: use a file of at most 1 MiB') as unknown },
    });
    expect(services.clusters.list().map((c) => c.name)).toEqual(['edge']);
  });
});

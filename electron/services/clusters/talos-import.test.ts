import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTalosCluster, TALOS_DEFAULT_DISCOVERY } from './talos-import.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/support/talos/${name}`, import.meta.url), 'utf8');
const secretOf = (text: string) => /^ {4}secret: (\S+)$/m.exec(text)?.[1] ?? '';

/** The error `readTalosCluster` throws for `text`, with a check that it never quotes the secret. */
function refusal(text: string, secret = ''): { code: string; message: string; hint?: string } {
  try {
    readTalosCluster(text);
  } catch (error) {
    const { code, message, hint } = error as { code: string; message: string; hint?: string };
    if (secret) expect(`${message} ${hint ?? ''}`).not.toContain(secret);
    return { code, message, ...(hint ? { hint } : {}) };
  }
  throw new Error('the file was accepted');
}

describe('reading a Talos cluster from its files', () => {
  it('takes the id and secret of a secrets.yaml, with the public discovery service and default settings', () => {
    const text = fixture('secrets.yaml');
    expect(readTalosCluster(text)).toEqual({
      clusterId: '8XuV9TZHW08DOk3bVxQjH9ih_TBKjnh-j44tsCLSBzo=',
      secret: secretOf(text),
      discoveryUrl: TALOS_DEFAULT_DISCOVERY,
      settings: expect.objectContaining({ mtu: 1420, allowDownPeerBypass: false, endpointFilters: [] }) as unknown,
      source: 'secrets',
      warnings: [],
    });
  });

  it('takes discovery and KubeSpan settings from a multi-document controlplane machine config', () => {
    const text = fixture('controlplane.yaml');
    const talos = readTalosCluster(text);
    expect(talos).toMatchObject({
      clusterId: 'ZlgNnI2UduUnWctJrnT-I17L6ZVx3sCdG9exyiUwJWY=',
      secret: secretOf(text),
      discoveryUrl: 'https://discovery.example.net:3000/',
      source: 'controlplane',
      warnings: [],
    });
    expect(talos.settings).toMatchObject({
      mtu: 1380,
      advertiseKubernetesNetworks: true,
      allowDownPeerBypass: true,
      harvestExtraEndpoints: false,
      endpointFilters: ['0.0.0.0/0', '!10.96.0.0/12', '::/0'],
    });
  });

  it('takes the endpoint of a DiscoveryServiceConfig document, as newer Talos writes it', () => {
    const text = `${fixture('controlplane.yaml')}---\napiVersion: v1alpha1\nkind: DiscoveryServiceConfig\nname: primary\nendpoint: http://10.0.0.9:3000/\n`;
    expect(readTalosCluster(text).discoveryUrl).toBe('http://10.0.0.9:3000/');
    expect(refusal(text.replace('http://10.0.0.9:3000/', 'nowhere')).message).toMatch(/^DiscoveryServiceConfig endpoint: 'nowhere' is not a discovery URL/);
  });

  it('warns when the machine config keeps its nodes out of the mesh', () => {
    const text = fixture('controlplane.yaml').replace('            enabled: true\n            advertise', '            enabled: false\n            advertise');
    const worker = text
      .replace('type: controlplane', 'type: worker')
      .replace('        enabled: true\n        registries', '        enabled: false\n        registries');
    const talos = readTalosCluster(worker);
    expect(talos.source).toBe('worker');
    expect(talos.warnings).toEqual([
      expect.stringMatching(/^machine\.network\.kubespan\.enabled is not true/),
      expect.stringMatching(/^cluster\.discovery\.enabled is false/),
    ]);
  });

  it('names the missing or bad field and the fix, never quoting the file', () => {
    const text = fixture('secrets.yaml');
    const secret = secretOf(text);
    expect(refusal(text.replace(/^ {4}secret: .*\n/m, ''))).toMatchObject({
      code: 'INVALID_TALOS_CONFIG',
      message: 'cluster.secret is missing: pass the secrets.yaml from talosctl gen secrets, or a machine config',
    });
    expect(refusal(text.replace(/^ {4}id: .*\n/m, ''), secret).message).toBe(
      'cluster.id is missing: pass the secrets.yaml from talosctl gen secrets, or a machine config',
    );
    const short = Buffer.alloc(16, 7).toString('base64');
    expect(refusal(text.replace(secret, short), short).message).toBe("cluster.secret decodes to 16 bytes, not 32: pass the cluster's own secret, unchanged");
    expect(refusal(text.replace(secret, 'not base64!'), 'not base64!').message).toMatch(/^cluster\.secret is not base64 text/);
    expect(refusal('machine:\n  type: worker\n').message).toMatch(/^cluster is missing \(no 'cluster:' section with id and secret\)/);
    expect(refusal(`cluster:\n    id: x\n    secret: ${secret}\n  bad: [\n`, secret).message).toMatch(
      /^the file is not valid YAML \(line \d+, column \d+: [A-Z_]+\)$/,
    );
    const mtu = fixture('controlplane.yaml').replace('mtu: 1380', 'mtu: 100');
    expect(refusal(mtu, secretOf(mtu)).message).toBe('machine.network.kubespan.mtu: use at least 1280 (the IPv6 minimum)');
    const filter = fixture('controlplane.yaml').replace("'!10.96.0.0/12'", 'ten-net');
    expect(refusal(filter).message).toMatch(/^machine\.network\.kubespan\.filters\.endpoints\[1\]: 'ten-net' is not an IP or CIDR/);
    const endpoint = fixture('controlplane.yaml').replace('https://discovery.example.net:3000/', 'ftp://discovery');
    expect(refusal(endpoint).message).toMatch(/^cluster\.discovery\.registries\.service\.endpoint: 'ftp:\/\/discovery' is not a discovery URL/);
  });

  it('refuses a file that expands YAML aliases without bound', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${Array(10)
            .fill(`*${i ? 'abcdefgh'[i] : 'a'}`)
            .join(', ')}]`,
      ),
    ].join('\n');
    expect(refusal(`${bomb}\ncluster: {id: x}\n`).message).toBe('the file expands too many YAML aliases');
  });
});

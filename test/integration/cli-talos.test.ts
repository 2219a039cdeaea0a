import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { ClusterSummary, SettingsView, TalosImport } from '../../electron/contract/index.js';
import { spanwise } from '../support/spanwise-cli.js';

const fixture = (name: string) => readFileSync(new URL(`../support/talos/${name}`, import.meta.url), 'utf8');
const secretOf = (text: string) => /^ {4}secret: (\S+)$/m.exec(text)?.[1] ?? '';

describe('mixed clusters with Talos, through the spanwise CLI', { timeout: 180_000 }, () => {
  let dir: string;
  let data: string;
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const clusters = async () => JSON.parse((await spanwise(data, ['cluster', 'list', '-o', 'json'])).stdout) as ClusterSummary[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'spanwise-cli-talos-'));
    data = join(dir, 'data');
  });

  it('creates a cluster from a secrets.yaml: its id and secret, the public discovery service', async () => {
    const created = await spanwise(data, ['cluster', 'create', 'talos-a', '--from-talos', file('secrets.yaml', fixture('secrets.yaml'))]);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toContain('created cluster talos-a from a Talos secrets.yaml (id 8XuV9TZHW08DOk3bVxQjH9ih_TBKjnh-j44tsCLSBzo=)');
    expect(created.stdout).not.toContain(secretOf(fixture('secrets.yaml')));
    expect(await clusters()).toMatchObject([
      { name: 'talos-a', clusterId: '8XuV9TZHW08DOk3bVxQjH9ih_TBKjnh-j44tsCLSBzo=', discovery: { mode: 'url', url: 'https://discovery.talos.dev/' } },
    ]);
    const patch = await spanwise(data, ['cluster', 'talos-patch', 'talos-a', '--show-secrets']);
    expect(patch.stdout).toContain(`secret: ${secretOf(fixture('secrets.yaml'))}`);
  });

  it('creates a cluster from a controlplane machine config with its discovery and KubeSpan settings, and its patch follows them', async () => {
    const text = fixture('controlplane.yaml');
    const created = await spanwise(data, ['cluster', 'create', 'talos-cp', '--from-talos', file('controlplane.yaml', text), '-o', 'json']);
    expect(created.code).toBe(0);
    expect(created.stdout).not.toContain(secretOf(text));
    const imported = JSON.parse(created.stdout) as TalosImport;
    expect(imported).toMatchObject({
      source: 'controlplane',
      cluster: {
        name: 'talos-cp',
        clusterId: 'ZlgNnI2UduUnWctJrnT-I17L6ZVx3sCdG9exyiUwJWY=',
        discovery: { mode: 'url', url: 'https://discovery.example.net:3000/' },
      },
      warnings: [],
    });
    const settings = JSON.parse((await spanwise(data, ['settings', 'show', '-o', 'json'])).stdout) as SettingsView;
    expect(settings).toMatchObject({
      cluster: 'talos-cp',
      settings: { mtu: 1380, advertiseKubernetesNetworks: true, allowDownPeerBypass: true, endpointFilters: ['0.0.0.0/0', '!10.96.0.0/12', '::/0'] },
    });

    const hidden = await spanwise(data, ['cluster', 'talos-patch']);
    expect(hidden.code).toBe(0);
    expect(hidden.stdout).not.toContain(secretOf(text));
    const [main, ...more] = parseAllDocuments(hidden.stdout).map((d) => d.toJS() as Record<string, unknown>);
    expect(more).toEqual([]);
    expect(main).toMatchObject({
      cluster: {
        id: 'ZlgNnI2UduUnWctJrnT-I17L6ZVx3sCdG9exyiUwJWY=',
        discovery: { registries: { service: { endpoint: 'https://discovery.example.net:3000/' } } },
      },
      machine: { network: { kubespan: { enabled: true, mtu: 1380, filters: { endpoints: ['0.0.0.0/0', '!10.96.0.0/12', '::/0'] } } } },
    });

    const out = join(dir, 'spanwise-patch.yaml');
    const written = await spanwise(data, ['cluster', 'talos-patch', 'talos-cp', '-o', out]);
    expect(written.code).toBe(0);
    expect(written.stdout).toContain(`talosctl patch mc --nodes NODE --patch @${out}`);
    expect(written.stdout).not.toContain(secretOf(text));
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toContain(`secret: ${secretOf(text)}`);
  });

  it('refuses bad files with the field and the fix, never quoting the secret, and creates nothing', async () => {
    const secrets = fixture('secrets.yaml');
    const secret = secretOf(secrets);
    const short = Buffer.alloc(31, 9).toString('base64');
    const big = `${secrets}#${'x'.repeat(1 << 20)}\n`;
    const cases: [string, string, string][] = [
      [
        'no-secret.yaml',
        secrets.replace(/^ {4}secret: .*\n/m, ''),
        'cluster.secret is missing: pass the secrets.yaml from talosctl gen secrets, or a machine config',
      ],
      ['short.yaml', secrets.replace(secret, short), "cluster.secret decodes to 31 bytes, not 32: pass the cluster's own secret, unchanged"],
      ['not-yaml.yaml', `cluster:\n    id: x\n    secret: ${secret}\n  oops: [\n`, 'the file is not valid YAML (line '],
      ['big.yaml', big, `is ${Buffer.byteLength(big)} bytes; a Talos secrets.yaml or machine config is a few KiB (at most 1 MiB)`],
    ];
    for (const [name, text, message] of cases) {
      const refused = await spanwise(data, ['cluster', 'create', 'bad', '--from-talos', file(name, text)]);
      expect(refused, name).toMatchObject({ code: 2, stdout: '' });
      expect(refused.stderr, name).toContain(message);
      expect(refused.stderr, name).not.toContain(secret);
      expect(refused.stderr, name).not.toContain(short);
    }
    const again = await spanwise(data, ['cluster', 'create', 'twice', '--from-talos', join(dir, 'secrets.yaml'), '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stderr)).toMatchObject({ error: { code: 'CLUSTER_EXISTS', message: "cluster 'talos-a' already has this cluster id" } });
    expect((await clusters()).map((c) => c.name)).toEqual(['talos-a', 'talos-cp']);
  });
});

import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from './index.js';

const opened: Services[] = [];
function open(dataDir = join(mkdtempSync(join(tmpdir(), 'spanwise-inv-')), 'data')): { services: Services; dataDir: string } {
  const services = createServices({ mode: 'web', dataDir });
  opened.push(services);
  return { services, dataDir };
}
afterEach(() => opened.splice(0).forEach((s) => s.close()));

function dataDirBytes(dataDir: string): Buffer {
  return Buffer.concat(readdirSync(dataDir).map((f) => readFileSync(join(dataDir, f))));
}

describe('inventory', () => {
  it('creates a cluster with a KubeSpan-shaped id, a 32-byte secret and a CA, and selects it', async () => {
    const { services } = open();
    const cluster = await services.clusters.create('prod', { mode: 'embedded', port: 3000 });
    expect(cluster.clusterId).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(cluster.caCertificate).toContain('BEGIN CERTIFICATE');
    expect(cluster.current).toBe(true);
    const secrets = services.clusters.secretsOf('prod');
    expect(Buffer.from(secrets.secret, 'base64')).toHaveLength(32);
    expect(JSON.stringify(cluster)).not.toContain(secrets.secret);
    await expect(services.clusters.create('prod', { mode: 'embedded', port: 3000 })).rejects.toThrow(/already exists/);
  });

  it('keeps secrets encrypted at rest and the state across restarts', async () => {
    const { services, dataDir } = open();
    await services.clusters.create('prod', { mode: 'node', port: 3000 });
    const keyFile = join(mkdtempSync(join(tmpdir(), 'spanwise-key-')), 'id_test');
    writeFileSync(keyFile, 'not really a key');
    services.machines.add({
      name: 'edge-1',
      ssh: { user: 'admin', host: '198.18.0.10' },
      auth: { identityFile: keyFile, password: 'hunter2-password', sudoPassword: 'sudo-secret-9' },
      site: 'edge',
    });
    const { secret, ca } = services.clusters.secretsOf('prod');
    services.close();
    opened.length = 0;
    const bytes = dataDirBytes(dataDir).toString('latin1');
    for (const plain of [secret, ca.keyPem.split('\n')[1] as string, 'hunter2-password', 'sudo-secret-9']) expect(bytes).not.toContain(plain);
    expect(statSync(join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'inventory.sqlite')).mode & 0o777).toBe(0o600);

    const again = open(dataDir).services;
    const [machine] = again.machines.list();
    expect(machine).toMatchObject({ name: 'edge-1', site: 'edge', role: 'worker', ssh: { port: 22 }, hasPassword: true, hasSudoPassword: true });
    expect(again.machines.credentials(again.machines.get('edge-1'))).toMatchObject({ password: 'hunter2-password', sudoPassword: 'sudo-secret-9' });
    expect(again.clusters.secretsOf('prod').secret).toBe(secret);
  });

  it('validates machines field by field and stores nothing on error', async () => {
    const { services } = open();
    await services.clusters.create('lab', { mode: 'embedded', port: 3000 });
    expect(() => services.machines.add({ name: 'a', ssh: { user: 'root', host: '' }, auth: { password: 'x' } })).toThrow(/ssh.host: enter a host name/);
    expect(() => services.machines.add({ name: 'a', ssh: { user: 'root', host: 'h', port: 70000 }, auth: { password: 'x' } })).toThrow(
      /ssh.port: use a port from 1 to 65535/,
    );
    expect(() => services.machines.add({ name: 'a', ssh: { user: 'root', host: 'h' }, auth: { identityFile: '/nonexistent/key' } })).toThrow(
      /auth.identityFile: \/nonexistent\/key does not exist/,
    );
    expect(() => services.machines.add({ name: 'a', ssh: { user: 'root', host: 'h' } })).toThrow(/no key file, password or SSH agent/);
    expect(services.machines.list()).toEqual([]);
  });

  it('deletes a cluster with its machines and picks another current one', async () => {
    const { services } = open();
    await services.clusters.create('one', { mode: 'embedded', port: 3000 });
    services.machines.add({ name: 'm1', ssh: { user: 'root', host: 'h1' }, auth: { useAgent: true } });
    await services.clusters.create('two', { mode: 'url', url: 'discovery.example:443' });
    services.clusters.delete('two');
    expect(services.clusters.list().map((c) => [c.name, c.current, c.machineCount])).toEqual([['one', true, 1]]);
    services.clusters.delete('one');
    expect(() => services.machines.list()).toThrow(/no cluster selected/);
  });
});

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscoveryClient } from '../../../agent/discovery/client/index.js';
import type { Notice } from '../../contract/app.js';
import { createServices, type ServiceOptions, type Services } from '../index.js';
import { stateFileOf } from './files.js';

const opened: Services[] = [];
const blockers: Server[] = [];
async function closeServices(services: Services): Promise<void> {
  opened.splice(opened.indexOf(services), 1);
  await services.discovery.close();
  services.close();
}
afterEach(async () => {
  for (const s of [...opened]) await closeServices(s);
  for (const b of blockers.splice(0)) b.close();
});

function open(dataDir: string, discovery: ServiceOptions['discovery'] | 'default' = 'follow'): Services {
  const services = createServices({ mode: 'web', dataDir, ...(discovery === 'default' ? {} : { discovery }) });
  opened.push(services);
  return services;
}
const newDataDir = () => join(mkdtempSync(join(tmpdir(), 'spanwise-disc-')), 'data');

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function register(port: number, clusterId: string, affiliateId: string): Promise<void> {
  const client = new DiscoveryClient({ endpoint: `127.0.0.1:${port}`, insecure: true, timeoutMs: 3000 });
  try {
    await client.update({ clusterId, affiliateId, data: Buffer.from('sealed elsewhere'), ttlMs: 30 * 60_000 });
  } finally {
    client.close();
  }
}

async function listIds(port: number, clusterId: string): Promise<string[]> {
  const client = new DiscoveryClient({ endpoint: `127.0.0.1:${port}`, insecure: true, timeoutMs: 3000 });
  try {
    return (await client.list(clusterId)).map((a) => a.id);
  } finally {
    client.close();
  }
}

describe('embedded discovery in the desktop backend', () => {
  it('serves the current cluster while its placement is embedded: on create and select, not after a switch or a delete', async () => {
    const [portA, portC] = [await freePort(), await freePort()];
    const dataDir = newDataDir();
    const services = open(dataDir);
    await services.clusters.create('lan', { mode: 'embedded', port: portA });
    expect((await services.discovery.sync())?.state).toBe('running');
    expect(await listening(portA)).toBe(true);
    const info = await services.appInfo.info();
    expect(info.discovery).toMatchObject({
      cluster: 'lan',
      port: portA,
      state: 'running',
      affiliates: 0,
      stateFile: join(dataDir, 'discovery', 'lan.state'),
      error: null,
    });

    await services.clusters.create('cloud', { mode: 'node', port: 3000 });
    expect(await services.discovery.sync()).toBeNull();
    expect(await listening(portA)).toBe(false);
    expect((await services.appInfo.info()).discovery).toBeNull();

    services.clusters.select('lan');
    expect((await services.discovery.sync())?.state).toBe('running');
    expect(await listening(portA)).toBe(true);

    await services.clusters.create('lan2', { mode: 'embedded', port: portC });
    expect(await services.discovery.sync()).toMatchObject({ cluster: 'lan2', state: 'running' });
    expect([await listening(portA), await listening(portC)]).toEqual([false, true]);

    const { clusterId } = services.clusters.get('lan2');
    await register(portC, clusterId, 'node-1');
    await services.discovery.sync();
    services.clusters.delete('lan2');
    await services.discovery.sync();
    expect(await listening(portC)).toBe(false);
    expect(existsSync(stateFileOf(dataDir, 'lan2'))).toBe(false);
  });

  it('stops on close with a final snapshot in the data dir, and serves it again after a restart, even one much later', async () => {
    const port = await freePort();
    const dataDir = newDataDir();
    const first = open(dataDir);
    await first.clusters.create('lan', { mode: 'embedded', port });
    await first.discovery.sync();
    const { clusterId } = first.clusters.get('lan');
    await register(port, clusterId, 'node-1');
    await closeServices(first);
    expect(await listening(port)).toBe(false);
    const file = stateFileOf(dataDir, 'lan');
    const [header, ...rest] = readFileSync(file, 'utf8').split('\n');
    expect(JSON.parse(header ?? '')).toMatchObject({ format: 'spanwise-discovery-state' });
    // The desktop stayed closed for two hours: longer than the 30 min TTL of the members.
    writeFileSync(file, [JSON.stringify({ ...(JSON.parse(header ?? '') as object), savedAt: Date.now() - 2 * 3600_000 }), ...rest].join('\n'));

    const second = open(dataDir);
    expect((await second.discovery.sync())?.state).toBe('running');
    expect(await listIds(port, clusterId)).toEqual(['node-1']);
    expect(second.discovery.status()?.affiliates).toBe(1);
  });

  it('says which port is in use and how to fix it, in the status, as a notice, and to onboarding', async () => {
    const blocker = createServer().listen(0, '0.0.0.0');
    blockers.push(blocker);
    await new Promise((resolve) => blocker.once('listening', resolve));
    const { port } = blocker.address() as AddressInfo;
    const services = open(newDataDir());
    const notices: Notice[] = [];
    services.events.subscribe((event, payload) => event === 'app:notice' && notices.push(payload as Notice));
    await services.clusters.create('lan', { mode: 'embedded', port });
    const status = await services.discovery.sync();
    expect(status).toMatchObject({ state: 'failed', error: { code: 'DISCOVERY_PORT_IN_USE' } });
    expect(status?.error?.message).toContain(`TCP port ${port} is already in use`);
    expect(status?.error?.hint).toContain(`:${port}`);
    expect(notices.some((n) => n.level === 'error' && n.text.includes(`TCP port ${port}`))).toBe(true);
    await expect(services.discovery.ensureServing('lan', port)).rejects.toMatchObject({ code: 'DISCOVERY_PORT_IN_USE' });

    blocker.close();
    expect((await services.discovery.ensureServing('lan', port)).state).toBe('running');
  });

  it('one process per data dir serves a cluster; a CLI run uses it, and serves it itself only when no one does', async () => {
    const port = await freePort();
    const dataDir = newDataDir();
    const app = open(dataDir);
    await app.clusters.create('lan', { mode: 'embedded', port });
    expect((await app.discovery.sync())?.state).toBe('running');

    const cli = open(dataDir, 'on-demand');
    expect(cli.discovery.status()).toBeNull();
    expect((await cli.discovery.ensureServing('lan', port)).state).toBe('elsewhere');
    await app.discovery.close();

    expect((await cli.discovery.ensureServing('lan', port)).state).toBe('running');
    expect(await listening(port)).toBe(true);
    await cli.discovery.close();
    expect(await listening(port)).toBe(false);
  });

  it('one-shot commands do not serve discovery unless asked', async () => {
    const port = await freePort();
    const services = open(newDataDir(), 'default');
    await services.clusters.create('lan', { mode: 'embedded', port });
    expect(await services.discovery.sync()).toBeNull();
    expect(await listening(port)).toBe(false);
  });
});

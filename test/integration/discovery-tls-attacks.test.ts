import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grpcDiscovery } from '../../agent/cli/agent-process.js';
import { discoveryController } from '../../agent/controllers/discovery.js';
import { ControllerRuntime } from '../../agent/controllers/runtime.js';
import { testConfig } from '../support/agent-fixtures.js';
import { DiscoveryClient } from '../../agent/discovery/client/index.js';
import { silentLogger as serverLogger, startDiscoveryServer, type DiscoveryServer } from '../../agent/discovery/server/index.js';
import { silentLogger } from '../../agent/shared/log.js';
import { ManualClock } from '../../agent/shared/clock.js';
import { createCa, createKeyAndCsr, signDiscoveryCsr, type KeyPairPem } from '../../agent/shared/pki.js';
import { DiscoveryStatusKind, ReflectedAddressKind } from '../../agent/resources/kinds.js';
import { ResourceStore } from '../../agent/resources/store.js';

/**
 * The attacks on discovery served by a node over TLS, against the real server and client: an
 * on-path impostor with a certificate from another CA, and a redirect that would strip TLS.
 */
const dir = mkdtempSync(join(tmpdir(), 'spanwise-discovery-tls-'));
const servers: DiscoveryServer[] = [];
let clusterCa: KeyPairPem;

async function discoveryCert(ca: KeyPairPem, name: string): Promise<{ certFile: string; keyFile: string }> {
  const { keyPem, csrPem } = await createKeyAndCsr(name);
  const certPem = await signDiscoveryCsr(ca, csrPem, name, { ip: ['127.0.0.1'] });
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  writeFileSync(certFile, certPem);
  writeFileSync(keyFile, keyPem, { mode: 0o600 });
  return { certFile, keyFile };
}

async function serve(options: { tls?: { certFile: string; keyFile: string }; redirect?: string }): Promise<DiscoveryServer> {
  const server = await startDiscoveryServer({ listen: '127.0.0.1:0', rateLimit: false, logger: serverLogger, ...options });
  servers.push(server);
  return server;
}

/** Runs the agent's discovery controller with the real gRPC connector against `url`, verified against the cluster CA. */
async function agentAgainst(url: string) {
  const base = testConfig();
  const config = { ...base, discovery: { endpoints: [url], clusterCa: { file: join(dir, 'ca.crt'), endpoints: [url] } } };
  const controller = discoveryController(config, grpcDiscovery(Buffer.from(clusterCa.certPem)));
  const clock = new ManualClock();
  const store = new ResourceStore(clock);
  const runtime = new ControllerRuntime(store, clock, silentLogger).add(controller);
  await runtime.settle();
  // A Hello that went through is reported once the watch delivers its snapshot.
  for (let i = 0; i < 100 && !store.get(DiscoveryStatusKind, url); i += 1) await new Promise((r) => setTimeout(r, 30));
  controller.stop();
  return { status: store.get(DiscoveryStatusKind, url)?.spec, reflected: store.get(ReflectedAddressKind, url)?.spec };
}

beforeAll(async () => {
  clusterCa = await createCa('cluster');
});
afterAll(async () => {
  for (const server of servers) await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('discovery on a node over TLS, attacked', () => {
  it('answers a client that verifies against the cluster CA', async () => {
    const real = await serve({ tls: await discoveryCert(clusterCa, 'real') });
    const client = new DiscoveryClient({ endpoint: real.address, ca: Buffer.from(clusterCa.certPem), timeoutMs: 3000 });
    try {
      expect((await client.hello('c')).clientIp).toBe('127.0.0.1');
    } finally {
      client.close();
    }
    const agent = await agentAgainst(`https://${real.address}`);
    expect(agent.status).toMatchObject({ connected: true });
    expect(agent.reflected?.ip).toBe('127.0.0.1');
  });

  it('refuses an on-path impostor whose certificate is from another CA: no Hello, so no reflected address from it', async () => {
    const impostor = await serve({ tls: await discoveryCert(await createCa('impostor'), 'impostor') });
    const client = new DiscoveryClient({ endpoint: impostor.address, ca: Buffer.from(clusterCa.certPem), timeoutMs: 3000 });
    try {
      await expect(client.hello('c')).rejects.toMatchObject({ code: 'DISCOVERY_UNAVAILABLE' });
    } finally {
      client.close();
    }
    const agent = await agentAgainst(`https://${impostor.address}`);
    expect(agent.status?.connected).toBe(false);
    expect(agent.reflected).toBeUndefined();
  });

  it('refuses a plaintext server on an https endpoint (TLS cannot be stripped by answering h2c)', async () => {
    const plain = await serve({});
    const agent = await agentAgainst(`https://${plain.address}`);
    expect(agent.status?.connected).toBe(false);
    expect(agent.reflected).toBeUndefined();
  });

  it('refuses a redirect from https to http, and never dials the plaintext target', async () => {
    let dialled = 0;
    const trap: Server = createServer((socket) => {
      dialled += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    const trapPort = (trap.address() as { port: number }).port;
    try {
      const tlsFiles = await discoveryCert(clusterCa, 'redirecting');
      for (const redirect of [`http://127.0.0.1:${trapPort}`, `http://127.0.0.1:${trapPort}/`]) {
        const redirecting = await serve({ tls: tlsFiles, redirect });
        const agent = await agentAgainst(`https://${redirecting.address}`);
        expect(agent.status?.connected).toBe(false);
        expect(agent.status?.lastError).toMatch(/redirect refused: .*would drop TLS/);
      }
      expect(dialled).toBe(0);
    } finally {
      trap.close();
    }
  });

  it('follows a bare host:port redirect over TLS, verified against the cluster CA', async () => {
    const target = await serve({ tls: await discoveryCert(clusterCa, 'target') });
    const redirecting = await serve({ tls: await discoveryCert(clusterCa, 'moving'), redirect: target.address });
    const agent = await agentAgainst(`https://${redirecting.address}`);
    expect(agent.status).toMatchObject({ connected: true, redirectedTo: target.address });
  });

  it('refuses a redirect to an impostor: the new target is verified against the cluster CA too', async () => {
    const impostor = await serve({ tls: await discoveryCert(await createCa('impostor2'), 'impostor2') });
    const redirecting = await serve({ tls: await discoveryCert(clusterCa, 'moving2'), redirect: impostor.address });
    const agent = await agentAgainst(`https://${redirecting.address}`);
    expect(agent.status?.connected).toBe(false);
  });
});

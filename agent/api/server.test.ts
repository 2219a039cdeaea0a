import { Metadata } from '@grpc/grpc-js';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbeProtocol, ResourceType, WatchEventType, type AgentServiceClient, type WatchResourcesResponse } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { ManualClock } from '../shared/clock.js';
import { createCa, issueDesktopCertificate, issueNodeCertificate } from '../shared/pki.js';
import { EndpointKind, PrivateKeyKind } from '../resources/kinds.js';
import { ResourceStore } from '../resources/store.js';
import { agentClient, listResources } from './client.js';
import { startApiServer, type ApiServer } from './server.js';

const store = new ResourceStore(new ManualClock());
let server: ApiServer;
let good: AgentServiceClient;
let stranger: AgentServiceClient;
const dir = mkdtempSync(join(tmpdir(), 'spanwise-api-'));

beforeAll(async () => {
  const ca = await createCa('cluster CA');
  const other = await createCa('other CA');
  const serverCert = await issueNodeCertificate(ca, 'agent', { ip: ['127.0.0.1'], dns: ['localhost'] });
  const clientCert = await issueDesktopCertificate(ca);
  const strangerCert = await issueDesktopCertificate(other);
  const tls = (c: { certPem: string; keyPem: string }, caPem: string) => ({ ca: Buffer.from(caPem), cert: Buffer.from(c.certPem), key: Buffer.from(c.keyPem) });
  store.upsert(EndpointKind, '10.0.0.5:51820', { address: '10.0.0.5:51820', source: 1, order: 0 });
  store.upsert(PrivateKeyKind, 'local', { privateKey: 'SECRET-NEVER-SERVED' });
  // Probe mechanics over loopback: this server lets probes reach 127.0.0.1 and a test responder port
  // (the defaults refuse both; probe-guard.test.ts performs those attacks against the defaults).
  const probeLimits = { refuseTarget: () => undefined, responderPorts: { udp: [47001], tcp: [] } };
  server = await startApiServer(
    { store, backend: 'dry-run', started: new Date(), probeLimits },
    { tcp: { address: '127.0.0.1:0', tls: tls(serverCert, ca.certPem) }, unixSocket: join(dir, 'agent.sock') },
  );
  good = agentClient({ kind: 'tcp', address: `127.0.0.1:${server.port}`, machine: 'agent', tls: tls(clientCert, ca.certPem) });
  stranger = agentClient({ kind: 'tcp', address: `127.0.0.1:${server.port}`, machine: 'agent', tls: tls(strangerCert, ca.certPem) });
});

afterAll(async () => {
  good.close();
  stranger.close();
  await server.close();
});

describe('agent API', () => {
  it('serves resources to the desktop certificate of the cluster CA, never internal ones', async () => {
    const response = await listResources(good, []);
    expect(response.resources.map((r) => r.metadata?.id)).toEqual(['10.0.0.5:51820']);
    expect(JSON.stringify(response)).not.toContain('SECRET');
  });

  it('refuses a certificate from another CA', async () => {
    await expect(listResources(stranger, [], 3000)).rejects.toThrow(/agent API/);
  });

  it('serves the local unix socket', async () => {
    const local = agentClient({ kind: 'unix', path: join(dir, 'agent.sock') });
    expect((await listResources(local, [ResourceType.RESOURCE_TYPE_ENDPOINT])).resources).toHaveLength(1);
    await expect(listResources(local, [99 as ResourceType])).rejects.toThrow(/types\[0\]/);
    local.close();
  });

  it('watches: snapshot first, then upserts and deletes', async () => {
    const events: WatchResourcesResponse[] = [];
    const stream = good.watchResources({ types: [ResourceType.RESOURCE_TYPE_ENDPOINT] });
    stream.on('error', () => {});
    await new Promise<void>((resolve) => {
      stream.on('data', (event: WatchResourcesResponse) => {
        events.push(event);
        if (events.length === 1) {
          store.upsert(EndpointKind, '203.0.113.9:51820', { address: '203.0.113.9:51820', source: 2, order: 1 });
          store.delete(EndpointKind, '203.0.113.9:51820');
        }
        if (events.length === 3) resolve();
      });
    });
    stream.cancel();
    expect(events.map((e) => [e.type, e.resources.map((r) => r.metadata?.id)])).toEqual([
      [WatchEventType.WATCH_EVENT_TYPE_SNAPSHOT, ['10.0.0.5:51820']],
      [WatchEventType.WATCH_EVENT_TYPE_UPSERTED, ['203.0.113.9:51820']],
      [WatchEventType.WATCH_EVENT_TYPE_DELETED, ['203.0.113.9:51820']],
    ]);
  });

  it('probes UDP against a responder and reports the seen source', async () => {
    const call = <T>(fn: (cb: (e: Error | null, r: T) => void) => void) => new Promise<T>((resolve, reject) => fn((e, r) => (e ? reject(e) : resolve(r))));
    const opened = await call<{ opened: boolean }>((cb) =>
      good.openResponder({ protocol: ProbeProtocol.PROBE_PROTOCOL_UDP, port: 47001, durationMs: 5000 }, new Metadata(), cb),
    );
    expect(opened.opened).toBe(true);
    const probe = await call<{ reachable: boolean; observedSource: string }>((cb) =>
      good.probe({ protocol: ProbeProtocol.PROBE_PROTOCOL_UDP, host: '127.0.0.1', port: 47001, timeoutMs: 3000, sourcePort: 0 }, new Metadata(), cb),
    );
    expect(probe.reachable).toBe(true);
    expect(probe.observedSource).toMatch(/^127\.0\.0\.1:\d+$/);
    const tcp = await call<{ reachable: boolean; error: string }>((cb) =>
      good.probe({ protocol: ProbeProtocol.PROBE_PROTOCOL_TCP, host: '127.0.0.1', port: 1, timeoutMs: 2000, sourcePort: 0 }, new Metadata(), cb),
    );
    expect(tcp).toMatchObject({ reachable: false, error: 'connection refused' });
    const ports: number[] = [];
    const server = createServer((s) => (ports.push(s.remotePort ?? 0), s.on('error', () => undefined)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const open = await call<{ reachable: boolean }>((cb) =>
      good.probe(
        { protocol: ProbeProtocol.PROBE_PROTOCOL_TCP, host: '127.0.0.1', port: (server.address() as AddressInfo).port, timeoutMs: 2000, sourcePort: 0 },
        new Metadata(),
        cb,
      ),
    );
    server.close();
    expect(open.reachable).toBe(true);
    // As root (the agent's case) the connection comes from a probe port, which the mesh lets out unmarked.
    const port = ports[0] ?? 0;
    expect(process.getuid?.() === 0 ? port >= 520 && port <= 599 : port > 0).toBe(true);
    await expect(
      call((cb) => good.probe({ protocol: ProbeProtocol.PROBE_PROTOCOL_TCP, host: 'a b', port: 1, timeoutMs: 1, sourcePort: 0 }, new Metadata(), cb)),
    ).rejects.toThrow(/host/);
  });
});

// Prometheus (Debian's package) scrapes two agents and the discovery service on the loopback: the
// agents run in-process with the dry-run WireGuard backend and find each other through the real
// discovery service over gRPC.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grpcDiscovery, startAgentProcess } from '../../agent/cli/agent-process.js';
import { parseAgentConfig } from '../../agent/config/load.js';
import { createAgent, type Agent } from '../../agent/controllers/agent.js';
import { silentLogger, startDiscoveryServer, type DiscoveryServer } from '../../agent/discovery/server/index.js';
import { startAgentMetrics, type AgentMetricsEndpoint } from '../../agent/metrics/agent-endpoint.js';
import { IdentityKind, PeerStatusKind, type HostNetwork } from '../../agent/resources/kinds.js';
import { systemClock } from '../../agent/shared/clock.js';
import { SpanwiseError } from '../../agent/shared/errors.js';
import { DryRunBackend } from '../../agent/wireguard/dry-run-backend.js';
import { memoryPersistence } from '../support/agent-fixtures.js';
import { startPrometheus, type TestPrometheus } from './agent-metrics-prometheus.js';

const SECRET = Buffer.alloc(32, 9).toString('base64');

function configFor(discoveryPort: number, extra = '', metrics = '{ listen: 127.0.0.1:0 }') {
  return parseAgentConfig(
    `cluster:\n  id: metrics-test\n  secret: ${SECRET}\ndiscovery:\n  endpoints: [http://127.0.0.1:${discoveryPort}]\nmetrics: ${metrics}\n${extra}`,
  );
}

function host(mac: string, ip: string): HostNetwork {
  return { links: [{ name: 'eth0', mac, physical: true, up: true, mtu: 1500, addresses: [`${ip}/24`] }], defaultRouteLinks: ['eth0'] };
}

interface TestAgent {
  name: string;
  agent: Agent;
  backend: DryRunBackend;
  metrics: AgentMetricsEndpoint;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let discovery: DiscoveryServer;
let agents: TestAgent[] = [];
let prometheus: TestPrometheus | undefined;

beforeAll(async () => {
  discovery = await startDiscoveryServer({ listen: '127.0.0.1:0', metricsListen: '127.0.0.1:0', rateLimit: false, logger: silentLogger });
  const config = configFor(discovery.port);
  agents = await Promise.all(
    [
      { name: 'node-a', mac: '2e:1a:b6:53:81:01', ip: '10.0.0.1' },
      { name: 'node-b', mac: '2e:1a:b6:53:81:02', ip: '10.0.0.2' },
    ].map(async ({ name, mac, ip }) => {
      const backend = new DryRunBackend({ clock: systemClock });
      const persistence = { ...memoryPersistence(), nodeId: async () => name };
      const agent = createAgent({
        config,
        clock: systemClock,
        log: silentLogger,
        backend,
        readHost: async () => host(mac, ip),
        persistence,
        hostname: name,
        discovery: grpcDiscovery(),
      });
      agent.runtime.start();
      return { name, agent, backend, metrics: await startAgentMetrics(config.metrics, agent.store, silentLogger, 'kubespan') };
    }),
  );
}, 30_000);

afterAll(async () => {
  await prometheus?.stop();
  await Promise.all(agents.map(async (a) => (await a.agent.runtime.stop(), await a.metrics.stop(), await a.backend.close())));
  await discovery?.stop();
}, 30_000);

const keyOf = (a: TestAgent) => a.agent.store.get(IdentityKind, 'local')?.spec.publicKey ?? '';

describe('agent and discovery metrics scraped by Prometheus', () => {
  it('returns wireguard_latest_handshake_seconds for both directions of the pair, and the discovery state', async () => {
    await waitFor('each agent sees the other as a peer', () => (agents.every((a) => a.agent.store.list(PeerStatusKind).length === 1) ? true : undefined));
    const handshake = Math.floor(Date.now() / 1000);
    for (const [self, other] of [agents, [...agents].reverse()] as [TestAgent, TestAgent][])
      self.backend.setPeerRuntime(keyOf(other), { lastHandshake: handshake * 1000, rxBytes: 1000, txBytes: 2000 });
    const target = (port: number | undefined) => `127.0.0.1:${port}`;
    prometheus = await startPrometheus([
      { job: 'spanwise-agent', targets: agents.map((a) => target(a.metrics.port())) },
      { job: 'spanwise-discovery', targets: [target(discovery.metricsPort)] },
    ]);
    const p = prometheus;
    const fresh = await waitFor('Prometheus has a handshake for each direction', async () => {
      const samples = await p.query('wireguard_latest_handshake_seconds > 0');
      return samples.length === 2 ? samples : undefined;
    }).catch(async (error: Error) => Promise.reject(new Error(`${error.message}\n${await p.targets()}`)));
    for (const self of agents) {
      const other = agents.find((a) => a !== self) as TestAgent;
      const sample = fresh.find((s) => s.metric.instance === target(self.metrics.port()));
      expect(sample?.metric).toMatchObject({ job: 'spanwise-agent', interface: 'kubespan', public_key: keyOf(other) });
      expect(sample?.metric.allowed_ips?.split(',')).toContain(`${other.agent.store.get(IdentityKind, 'local')?.spec.address}/128`);
      expect(sample?.value).toBe(handshake);
    }
    const received = await waitFor('received bytes', async () => {
      const samples = await p.query('wireguard_received_bytes_total');
      return samples.length === 2 && samples.every((s) => s.value === 1000) ? samples : undefined;
    });
    expect(received).toHaveLength(2);
    // Prometheus scrapes each target on its own schedule: wait for a scrape of each that saw both agents.
    const up = await waitFor('every target scraped', async () => {
      const samples = await p.query('up');
      return samples.length === 3 && samples.every((s) => s.value === 1) ? samples : undefined;
    });
    expect(up.map((s) => [s.metric.job, s.value]).sort()).toEqual([
      ['spanwise-agent', 1],
      ['spanwise-agent', 1],
      ['spanwise-discovery', 1],
    ]);
    const state = await waitFor('the discovery state of both agents', async () => {
      const [affiliates, subscriptions] = await Promise.all([p.query('discovery_state_affiliates'), p.query('discovery_state_subscriptions')]);
      return affiliates[0]?.value === 2 && subscriptions[0]?.value === 2 ? { affiliates, subscriptions } : undefined;
    });
    expect(state.affiliates[0]?.value).toBe(2);
    expect(state.subscriptions[0]?.value).toBe(2);
    const updates = await p.query('sum(grpc_server_handled_total{grpc_method="AffiliateUpdate",grpc_code="OK"})');
    expect(updates[0]?.value).toBeGreaterThanOrEqual(2);
    expect(await p.query('spanwise_agent_build_info')).toHaveLength(2);
    expect(await p.query('discovery_build_info')).toHaveLength(1);
  }, 90_000);
});

describe('spanwise-agent run serves metrics from its config', () => {
  it('serves on metrics.listen, not at all when disabled, and names the field when the port is taken', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spanwise-agent-metrics-'));
    const paths = `stateDir: ${dir}/state\nruntimeDir: ${dir}/run\n`;
    const taken = createServer();
    try {
      const running = await startAgentProcess(configFor(discovery.port, paths), silentLogger, { dryRun: true });
      const response = await fetch(`http://127.0.0.1:${running.metrics?.port()}/metrics`);
      const text = await response.text();
      await running.stop();
      expect(text).toMatch(/^spanwise_agent_build_info\{version="[^"]+"\} 1$/m);
      expect(response.headers.get('date')).toBeNull();

      const off = await startAgentProcess(configFor(discovery.port, paths, '{ enabled: false }'), silentLogger, { dryRun: true });
      expect(off.metrics).toBeUndefined();
      await off.stop();

      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const port = (taken.address() as { port: number }).port;
      const busy = configFor(discovery.port, paths, `{ listen: '127.0.0.1:${port}' }`);
      const error = await startAgentProcess(busy, silentLogger, { dryRun: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpanwiseError);
      expect(error).toMatchObject({ code: 'METRICS_LISTEN_FAILED', message: expect.stringContaining(`metrics.listen 127.0.0.1:${port}`) });
    } finally {
      taken.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

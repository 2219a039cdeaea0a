import { Metadata, status } from '@grpc/grpc-js';
import { createSocket } from 'node:dgram';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbeProtocol, type AgentServiceClient, type ProbeRequest } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { statusOf, tlsOf, within } from '../../test/support/agent-certificates.js';
import { ManualClock } from '../shared/clock.js';
import { MAX_RESPONDER_MS } from '../shared/ports.js';
import { createCa, issueDesktopCertificate, issueNodeCertificate, type KeyPairPem } from '../shared/pki.js';
import { ResourceStore } from '../resources/store.js';
import { agentClient } from './client.js';
import { DEFAULT_PROBE_LIMITS, type ProbeLimits } from './probe-guard.js';
import { startApiServer, type ApiServer } from './server.js';

/** A real agent API server over TLS on loopback, called with the desktop's certificate. */
interface Agent {
  server: ApiServer;
  client: AgentServiceClient;
}

let ca: KeyPairPem;
let desktop: KeyPairPem;
let node: KeyPairPem;
const started: Agent[] = [];

async function agentWith(probeLimits: Partial<ProbeLimits>): Promise<Agent> {
  const ctx = { store: new ResourceStore(new ManualClock()), backend: 'dry-run', started: new Date(), probeLimits };
  const server = await startApiServer(ctx, { tcp: { address: '127.0.0.1:0', tls: tlsOf(node, ca.certPem) } });
  const client = agentClient({ kind: 'tcp', address: `127.0.0.1:${server.port}`, machine: 'node-a', tls: tlsOf(desktop, ca.certPem) });
  const agent = { server, client };
  started.push(agent);
  return agent;
}

const tcp = (host: string, port = 50000): ProbeRequest => ({ protocol: ProbeProtocol.PROBE_PROTOCOL_TCP, host, port, timeoutMs: 1000, sourcePort: 0 });
const udp = (host: string, port: number, timeoutMs = 1000, sourcePort = 0): ProbeRequest => ({
  protocol: ProbeProtocol.PROBE_PROTOCOL_UDP,
  host,
  port,
  timeoutMs,
  sourcePort,
});
const probe = (client: AgentServiceClient, request: ProbeRequest) => statusOf((done) => client.probe(request, new Metadata(), within(10_000), done));
const responder = (client: AgentServiceClient, protocol: ProbeProtocol, port: number, durationMs: number) =>
  statusOf((done) => client.openResponder({ protocol, port, durationMs }, new Metadata(), within(), done));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether this process can bind UDP `port` on all addresses right now (the responder binds [::]). */
function udpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket({ type: 'udp6', ipv6Only: false });
    socket.once('error', () => (socket.close(), resolve(false)));
    socket.bind(port, () => socket.close(() => resolve(true)));
  });
}

beforeAll(async () => {
  ca = await createCa('cluster CA');
  desktop = await issueDesktopCertificate(ca);
  node = await issueNodeCertificate(ca, 'node-a', { ip: ['127.0.0.1'] });
});

afterAll(async () => {
  for (const agent of started) {
    agent.client.close();
    await agent.server.close();
  }
});

describe('attack: Probe aimed at the host itself, its link, the cloud metadata service or a group', () => {
  it('refuses loopback, metadata, multicast and link-local targets with PERMISSION_DENIED, by literal or by name', async () => {
    const { client } = await agentWith({ clock: new ManualClock() });
    const targets = [
      tcp('127.0.0.1', 22),
      tcp('127.8.9.10'),
      tcp('::1'),
      tcp('::ffff:127.0.0.1'),
      tcp('0.0.0.0'),
      tcp('localhost'),
      tcp('169.254.169.254', 80),
      udp('fd00:ec2::254', 80),
      udp('224.0.0.251', 5353),
      udp('ff02::1', 51820),
      tcp('169.254.10.1'),
      udp('fe80::1', 51820),
      udp('255.255.255.255', 51820),
    ];
    const results = await Promise.all(targets.map((t) => probe(client, t)));
    expect(results.map((r) => r.code)).toEqual(targets.map(() => status.PERMISSION_DENIED));
    expect(results.map((r) => /is (a|an) ([a-z-]+ )+(address|service)/.test(r.details))).toEqual(targets.map(() => true));
    expect(results[6]?.details).toMatch(/169\.254\.169\.254 is a cloud metadata service/);
  });

  it('refuses a UDP probe from a source port diagnosis does not send from (a privileged port, say)', async () => {
    const { client } = await agentWith({ clock: new ManualClock() });
    expect(await probe(client, udp('192.0.2.1', 51820, 1000, 53))).toMatchObject({
      code: status.PERMISSION_DENIED,
      details: expect.stringMatching(/source_port: 53/),
    });
  });
});

describe('attack: a burst of probes', () => {
  it('spends the rate budget, then refuses every probe with RESOURCE_EXHAUSTED before any packet, until it refills', async () => {
    const clock = new ManualClock();
    const { client } = await agentWith({ clock });
    const burst = DEFAULT_PROBE_LIMITS.burst;
    // Refused targets cost a probe too, and send nothing: the burst stays on this machine.
    const results = await Promise.all(Array.from({ length: burst + 50 }, () => probe(client, tcp('127.0.0.1'))));
    const exhausted = results.filter((r) => r.code === status.RESOURCE_EXHAUSTED);
    expect(results.filter((r) => r.code === status.PERMISSION_DENIED)).toHaveLength(burst);
    expect(exhausted).toHaveLength(50);
    expect(exhausted[0]?.details).toMatch(/probe rate limit/);
    // A target that would be allowed is refused as well while the budget is spent.
    expect((await probe(client, tcp('192.0.2.1'))).code).toBe(status.RESOURCE_EXHAUSTED);
    clock.advance(1000);
    expect((await probe(client, tcp('127.0.0.1'))).code).toBe(status.PERMISSION_DENIED);
  });

  it('runs at most maxInFlight probes at once, queues up to maxWaiting, and refuses the next', async () => {
    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', () => resolve()));
    const port = silent.address().port;
    // Loopback allowed for this one, so the probes wait on a socket that never answers.
    const { client } = await agentWith({ clock: new ManualClock(), refuseTarget: () => undefined, maxInFlight: 2, maxWaiting: 1 });
    const results = await Promise.all(Array.from({ length: 4 }, () => probe(client, udp('127.0.0.1', port, 800))));
    silent.close();
    expect(results.map((r) => r.code).sort()).toEqual([status.OK, status.OK, status.OK, status.RESOURCE_EXHAUSTED].sort());
    expect(results.find((r) => r.code === status.RESOURCE_EXHAUSTED)?.details).toMatch(/too many probes at once \(2 running, 1 waiting\)/);
  });
});

describe('attack: OpenResponder on a port diagnosis does not use, or for long', () => {
  it('refuses UDP and TCP ports outside the diagnosis ports, and binds nothing', async () => {
    const { client } = await agentWith({ clock: new ManualClock() });
    const port = await freePort();
    for (const [protocol, p] of [
      [ProbeProtocol.PROBE_PROTOCOL_UDP, port],
      [ProbeProtocol.PROBE_PROTOCOL_UDP, 53],
      [ProbeProtocol.PROBE_PROTOCOL_TCP, port],
      [ProbeProtocol.PROBE_PROTOCOL_TCP, 22],
      [ProbeProtocol.PROBE_PROTOCOL_TCP, 51820],
    ] as const) {
      expect(await responder(client, protocol, p, 1000)).toMatchObject({
        code: status.PERMISSION_DENIED,
        details: expect.stringMatching(/responder may bind (51820, 51821, 51822|no port) only/),
      });
    }
    expect(await udpPortFree(port)).toBe(true);
  });

  it(`caps the duration at ${MAX_RESPONDER_MS / 1000} s, and closes the responder once the time asked is over`, async () => {
    const port = await freePort();
    const { client } = await agentWith({ clock: new ManualClock(), responderPorts: { udp: [port], tcp: [] } });
    for (const durationMs of [MAX_RESPONDER_MS + 1, 600_000, 0]) {
      expect(await responder(client, ProbeProtocol.PROBE_PROTOCOL_UDP, port, durationMs)).toMatchObject({
        code: status.INVALID_ARGUMENT,
        details: `duration_ms: must be 1..${MAX_RESPONDER_MS}`,
      });
    }
    expect(await udpPortFree(port)).toBe(true);
    expect((await responder(client, ProbeProtocol.PROBE_PROTOCOL_UDP, port, 2000)).code).toBe(status.OK);
    expect(await udpPortFree(port)).toBe(false);
    while (!(await udpPortFree(port))) await new Promise((resolve) => setTimeout(resolve, 50));
  });
});

import { Server, ServerCredentials, credentials, type ServerWritableStream } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgentServiceClient,
  AgentServiceService,
  PeerState,
  ResourceType,
  WatchEventType,
  type GetHostFactsResponse,
  type Resource,
  type WatchResourcesRequest,
  type WatchResourcesResponse,
} from '../../proto/gen/spanwise/agent/v1/agent.js';
import { hostFacts } from '../../electron/services/agents/agent-connection.js';
import type { MachineAgent } from '../../electron/services/agents/connect-machine.js';
import { AgentWatcher, MAX_PEERS_PER_AGENT } from '../../electron/services/mesh/agent-watch.js';

/** A hostile agent over real gRPC: every watch message brings a thousand peers never seen before. */
const MESSAGES = 500;
const PEERS_PER_MESSAGE = 1000;
const key = (n: number) => Buffer.alloc(32, 0).fill(n & 0xff, 0, 1).fill((n >> 8) & 0xff, 1, 2).fill((n >> 16) & 0xff, 2, 3).toString('base64');
const peer = (n: number): Resource => ({
  metadata: { type: ResourceType.RESOURCE_TYPE_PEER_STATUS, id: key(n), version: 1, updated: undefined },
  spec: { $case: 'peerStatus', value: { publicKey: key(n), label: `p${n}`, state: PeerState.PEER_STATE_UP, endpoint: '198.18.1.11:51820', lastHandshake: new Date(1000), rxBytes: 5, txBytes: 6, lastEndpointChange: undefined, reason: 'x'.repeat(300), rttMs: 1 } },
});
const huge = 'A'.repeat(1 << 20);
let server: Server;
let port = 0;
let sent = 0;

beforeAll(async () => {
  server = new Server();
  server.addService(AgentServiceService, {
    getHostFacts: (_call: unknown, callback: (error: null, response: GetHostFactsResponse) => void) =>
      callback(null, { agentVersion: huge, hostname: `h\u0000${huge}`, os: huge, kernel: '', arch: '', wireguardBackend: '', now: new Date(), started: new Date(), addresses: Array.from({ length: 10_000 }, () => '10.0.0.1/8') }),
    listResources: (_call: unknown, callback: (error: null, response: { resources: Resource[] }) => void) => callback(null, { resources: [] }),
    watchResources: async (call: ServerWritableStream<WatchResourcesRequest, WatchResourcesResponse>) => {
      for (let m = 0; m < MESSAGES && !call.cancelled; m += 1) {
        const resources = Array.from({ length: PEERS_PER_MESSAGE }, (_, i) => peer(m * PEERS_PER_MESSAGE + i));
        const type = m === 0 ? WatchEventType.WATCH_EVENT_TYPE_SNAPSHOT : WatchEventType.WATCH_EVENT_TYPE_UPSERTED;
        if (!call.write({ type, resources })) await new Promise((resolve) => call.once('drain', resolve));
        sent += 1;
      }
      call.end();
    },
  });
  port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
});
afterAll(() => server.forceShutdown());

describe('an agent that floods the desktop', () => {
  it('keeps at most the cluster limit of peers for it, with bounded memory, over real gRPC', async () => {
    const client = new AgentServiceClient(`127.0.0.1:${port}`, credentials.createInsecure(), { 'grpc.max_receive_message_length': 16 * 2 ** 20 });
    const agent: MachineAgent = { connection: { client, via: 'direct', facts: await hostFacts(client, 5000), close: async () => client.close() }, lost: new Promise(() => undefined), close: async () => client.close() };
    let latest = 0;
    const accepted = new Set<string>();
    let endStream = () => undefined as void;
    const ended = new Promise<void>((resolve) => (endStream = resolve));
    const watcher = new AgentWatcher(async () => agent, {
      link: (l) => (l.reachable ? undefined : endStream()),
      identity: () => undefined,
      peers: (p) => {
        latest = p.length;
        for (const x of p) accepted.add(x.publicKey);
      },
      peer: (p) => accepted.add(p.publicKey),
    }, { timers: { set: () => 1, clear: () => undefined } });
    const before = process.memoryUsage().heapUsed;
    watcher.start();
    await ended;
    await watcher.stop();
    expect(sent).toBe(MESSAGES);
    expect(latest).toBeLessThanOrEqual(MAX_PEERS_PER_AGENT);
    expect(accepted.size).toBe(MAX_PEERS_PER_AGENT);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(256 * 2 ** 20);
  });

  it('bounds and cleans the host facts it reports', async () => {
    const client = new AgentServiceClient(`127.0.0.1:${port}`, credentials.createInsecure(), { 'grpc.max_receive_message_length': 16 * 2 ** 20 });
    const facts = await hostFacts(client, 5000);
    client.close();
    expect(facts.agentVersion.length).toBeLessThanOrEqual(128);
    expect(facts.hostname).toMatch(/^h\?A+$/);
    expect(facts.addresses.length).toBe(64);
  });
});

import { Server, ServerCredentials, credentials, type ServerWritableStream } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgentServiceClient,
  AgentServiceService,
  PeerState,
  ResourceType,
  type PeerStatus,
  WatchEventType,
  type GetHostFactsResponse,
  type Resource,
  type WatchResourcesRequest,
  type WatchResourcesResponse,
} from '../../proto/gen/spanwise/agent/v1/agent.js';
import { boundedFacts, hostFacts } from '../../electron/services/agents/agent-connection.js';
import type { MachineAgent } from '../../electron/services/agents/connect-machine.js';
import { MAX_PEERS_PER_AGENT } from '../../electron/services/agents/agent-view.js';
import { AgentWatcher } from '../../electron/services/mesh/agent-watch.js';

/** A hostile agent over real gRPC: every watch message brings a thousand peers never seen before. */
const MESSAGES = 500;
const PEERS_PER_MESSAGE = 1000;
const key = (n: number) =>
  Buffer.alloc(32, 0)
    .fill(n & 0xff, 0, 1)
    .fill((n >> 8) & 0xff, 1, 2)
    .fill((n >> 16) & 0xff, 2, 3)
    .toString('base64');
const peer = (n: number): Resource => ({
  metadata: { type: ResourceType.RESOURCE_TYPE_PEER_STATUS, id: key(n), version: 1, updated: undefined },
  spec: {
    $case: 'peerStatus',
    value: {
      publicKey: key(n),
      label: `p${n}`,
      state: PeerState.PEER_STATE_UP,
      endpoint: '198.18.1.11:51820',
      lastHandshake: new Date(1000),
      rxBytes: 5,
      txBytes: 6,
      lastEndpointChange: undefined,
      reason: 'x'.repeat(300),
      rttMs: 1,
    },
  },
});
const huge = 'A'.repeat(1 << 20);
let server: Server;
let liar: Server;
let port = 0;
let liarPort = 0;
let sent = 0;

/** One snapshot that lies in every field the desktop reads, then an open stream. */
const lies = (): Resource[] => [
  {
    metadata: { type: ResourceType.RESOURCE_TYPE_IDENTITY, id: 'local', version: 1, updated: undefined },
    spec: {
      $case: 'identity',
      value: { nodeId: huge, publicKey: 'not-a-key', address: huge, subnet: '', hostname: huge, linkName: '', linkMac: '', linkFallback: false },
    },
  },
  ...Array.from({ length: MAX_PEERS_PER_AGENT + 500 }, (_, i) => peer(i)),
  { ...peer(5), spec: { $case: 'peerStatus', value: { ...(peer(5).spec as { value: PeerStatus }).value, label: huge, endpoint: `${huge}:1`, reason: huge } } },
  { ...peer(0), spec: { $case: 'peerStatus', value: { ...(peer(0).spec as { value: PeerStatus }).value, publicKey: huge } } },
];

beforeAll(async () => {
  server = new Server();
  server.addService(AgentServiceService, {
    getHostFacts: (_call: unknown, callback: (error: null, response: GetHostFactsResponse) => void) =>
      callback(null, {
        agentVersion: huge,
        hostname: `h\u0000${huge}`,
        os: huge,
        kernel: '',
        arch: '',
        wireguardBackend: '',
        now: new Date(),
        started: new Date(),
        addresses: Array.from({ length: 10_000 }, () => '10.0.0.1/8'),
      }),
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
  port = await bind(server);
  liar = new Server();
  liar.addService(AgentServiceService, {
    watchResources: (call: ServerWritableStream<WatchResourcesRequest, WatchResourcesResponse>) =>
      void call.write({ type: WatchEventType.WATCH_EVENT_TYPE_SNAPSHOT, resources: lies() }),
  });
  liarPort = await bind(liar);
});
afterAll(() => (server.forceShutdown(), liar.forceShutdown()));

const bind = (s: Server) =>
  new Promise<number>((resolve, reject) =>
    s.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
const agentOn = async (at: number): Promise<MachineAgent> => {
  const client = new AgentServiceClient(`127.0.0.1:${at}`, credentials.createInsecure(), { 'grpc.max_receive_message_length': 16 * 2 ** 20 });
  return {
    connection: {
      client,
      via: 'direct',
      facts: await hostFacts(client, 5000).catch(() => boundedFacts({} as GetHostFactsResponse)),
      close: async () => client.close(),
    },
    lost: new Promise(() => undefined),
    close: async () => client.close(),
  };
};

describe('an agent that floods the desktop', () => {
  it('keeps at most the cluster limit of peers for it, with bounded memory, over real gRPC', async () => {
    const agent = await agentOn(port);
    let latest = 0;
    const accepted = new Set<string>();
    let endStream = () => undefined as void;
    const ended = new Promise<void>((resolve) => (endStream = resolve));
    const watcher = new AgentWatcher(
      async () => agent,
      {
        link: (l) => (l.reachable ? undefined : endStream()),
        identity: () => undefined,
        peers: (p) => {
          latest = p.length;
          for (const x of p) accepted.add(x.publicKey);
        },
        peer: (p) => accepted.add(p.publicKey),
      },
      { timers: { set: () => 1, clear: () => undefined } },
    );
    const before = process.memoryUsage().heapUsed;
    watcher.start();
    await ended;
    await watcher.stop();
    expect(sent).toBe(MESSAGES);
    expect(latest).toBeLessThanOrEqual(MAX_PEERS_PER_AGENT);
    expect(accepted.size).toBe(MAX_PEERS_PER_AGENT);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(256 * 2 ** 20);
  }, 60_000);

  it('refuses bad keys, bounds oversized strings and says why, over real gRPC', async () => {
    let snapshot = () => undefined as void;
    const arrived = new Promise<void>((resolve) => (snapshot = resolve));
    const watcher = new AgentWatcher(
      () => agentOn(liarPort),
      { link: () => undefined, identity: () => undefined, peers: () => snapshot(), peer: () => undefined },
      { timers: { set: () => 1, clear: () => undefined } },
    );
    watcher.start();
    await arrived;
    const { view } = watcher.watched();
    await watcher.stop();
    expect(view.identity).toBeNull();
    expect(view.peers.size).toBe(MAX_PEERS_PER_AGENT);
    expect(view.peers.get(key(5))).toMatchObject({ label: '', endpoint: null, reason: 'A'.repeat(200) });
    expect(view.refused.count).toBe(500 + 2);
    expect(view.refused.reasons).toEqual([
      'identity: the public key is not a WireGuard key (44 characters of base64); the resource is skipped',
      `peer status: more than ${MAX_PEERS_PER_AGENT} from one agent; the rest are left out`,
      'peer status: the public key is not a WireGuard key (44 characters of base64); the resource is skipped',
    ]);
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

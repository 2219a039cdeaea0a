import { Server, ServerCredentials, credentials, type ServerWritableStream } from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import {
  AgentServiceClient,
  AgentServiceService,
  PeerState,
  ResourceType,
  WatchEventType,
  type Resource,
  type WatchResourcesRequest,
  type WatchResourcesResponse,
} from '../../../proto/gen/spanwise/agent/v1/agent.js';
import type { MachineInput } from '../../contract/index.js';
import type { MachineAgent } from '../agents/connect-machine.js';
import { createServices, type Services } from '../index.js';
import { AgentMeshSource } from '../mesh/mesh-source.js';
import { openDatabase } from '../store/database.js';
import { MachineStore } from '../store/machines.js';
import { statusProblems } from '../../cli/status-command.js';
import { StatusService } from './status-service.js';

const key = (c: string) => `${c.repeat(43)}=`;
const machine = (name: string): MachineInput => ({
  name,
  ssh: { user: 'root', host: '127.0.0.1', port: 1 },
  auth: { useAgent: true },
  jump: [],
  site: 'cloud',
  role: 'worker',
  labels: {},
});
const peer = (publicKey: string, label: string, state: PeerState): Resource => ({
  metadata: { type: ResourceType.RESOURCE_TYPE_PEER_STATUS, id: publicKey, version: 1, updated: undefined },
  spec: {
    $case: 'peerStatus',
    value: {
      publicKey,
      label,
      state,
      endpoint: '198.18.1.11:51820',
      lastHandshake: new Date(1000),
      rxBytes: 5,
      txBytes: 6,
      lastEndpointChange: undefined,
      reason: '',
      rttMs: 2,
    },
  },
});
const identity: Resource = {
  metadata: { type: ResourceType.RESOURCE_TYPE_IDENTITY, id: 'local', version: 1, updated: undefined },
  spec: {
    $case: 'identity',
    value: { nodeId: 'n', publicKey: key('A'), address: 'fd00::1', subnet: '', hostname: 'good', linkName: '', linkMac: '', linkFallback: false },
  },
};

/** A real gRPC agent: a snapshot of its identity and two peers, then whatever the test pushes. */
let server: Server;
let port = 0;
const calls = { watch: 0, list: 0 };
let push: (message: WatchResourcesResponse) => void = () => undefined;

beforeAll(async () => {
  server = new Server();
  server.addService(AgentServiceService, {
    listResources: (_call: unknown, callback: (error: null, response: { resources: Resource[] }) => void) => (calls.list++, callback(null, { resources: [] })),
    watchResources: (call: ServerWritableStream<WatchResourcesRequest, WatchResourcesResponse>) => {
      calls.watch += 1;
      call.write({
        type: WatchEventType.WATCH_EVENT_TYPE_SNAPSHOT,
        resources: [identity, peer(key('C'), 'zeta', PeerState.PEER_STATE_UP), peer(key('B'), '', PeerState.PEER_STATE_DOWN)],
      });
      push = (message) => call.write(message);
    },
  });
  port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
});
afterAll(() => server.forceShutdown());

/** Opens `good` over real gRPC; `down` fails as an unreachable agent does; `silent` never answers. */
async function open(name: string): Promise<MachineAgent> {
  if (name === 'down') throw new SpanwiseError('AGENT_UNREACHABLE', 'agent API on 127.0.0.1:50000 does not answer', 'check the agent');
  if (name === 'silent') return new Promise(() => undefined);
  const client = new AgentServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());
  const connection = {
    client,
    via: 'direct' as const,
    facts: { agentVersion: '1.2.3', hostname: name, os: '', kernel: '', arch: '', wireguardBackend: '', now: undefined, started: undefined, addresses: [] },
    close: async () => client.close(),
  };
  return { connection, lost: new Promise(() => undefined), close: async () => client.close() };
}

describe('status from the live mesh watch', () => {
  let dir: string;
  let services: Services;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spanwise-status-'));
    services = createServices({ mode: 'web', dataDir: join(dir, 'data'), meshSource: () => new AgentMeshSource(open) });
    await services.clusters.create('lab', { mode: 'node', port: 3000 });
    calls.watch = 0;
    calls.list = 0;
  });
  afterEach(async () => {
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts the watch, waits for each agent to answer, and reads later calls from the same watch', async () => {
    for (const name of ['good', 'down']) services.machines.add(machine(name));
    const status = await services.status.status();
    expect(status.cluster.name).toBe('lab');
    const [good, down] = status.nodes;
    expect(good).toMatchObject({ name: 'good', agent: { reachable: true, via: 'direct', version: '1.2.3' }, publicKey: key('A'), address: 'fd00::1' });
    expect(good?.peers).toEqual([
      {
        name: 'BBBBBBBB',
        publicKey: key('B'),
        state: 'down',
        endpoint: '198.18.1.11:51820',
        lastHandshake: '1970-01-01T00:00:01.000Z',
        rx: 5,
        tx: 6,
        rttMs: null,
        reason: null,
      },
      {
        name: 'zeta',
        publicKey: key('C'),
        state: 'up',
        endpoint: '198.18.1.11:51820',
        lastHandshake: '1970-01-01T00:00:01.000Z',
        rx: 5,
        tx: 6,
        rttMs: 2,
        reason: null,
      },
    ]);
    expect(down).toMatchObject({ name: 'down', agent: { reachable: false, via: null, error: 'agent API on 127.0.0.1:50000 does not answer' }, peers: [] });
    const foreign = status.nodes.slice(2);
    expect(foreign.map((n) => [n.name, n.managed, n.publicKey, n.peers, n.seenBy?.map((s) => [s.node, s.state])])).toEqual([
      [`member-${Buffer.from(key('B'), 'base64').subarray(0, 5).toString('hex')}`, false, key('B'), [], [['good', 'down']]],
      ['zeta', false, key('C'), [], [['good', 'up']]],
    ]);
    expect(foreign[1]?.agent).toMatchObject({ reachable: false, via: null, version: null });
    expect(statusProblems(status)).toEqual(['down: agent unreachable (agent API on 127.0.0.1:50000 does not answer)', 'good -> BBBBBBBB: peer down']);

    push({ type: WatchEventType.WATCH_EVENT_TYPE_UPSERTED, resources: [peer(key('C'), 'zeta', PeerState.PEER_STATE_DOWN)] });
    await expect.poll(async () => (await services.status.status()).nodes[0]?.peers.find((p) => p.name === 'zeta')?.state).toBe('down');
    expect(calls).toEqual({ watch: 1, list: 0 });
  });

  it('says a node is not seen yet when its agent has not answered within the wait', async () => {
    services.machines.add(machine('silent'));
    const db = openDatabase(join(dir, 'data'));
    try {
      const status = await new StatusService({
        clusters: services.clusters,
        machineStore: new MachineStore(db),
        mesh: services.mesh,
        health: services.health,
        waitMs: 50,
      }).status();
      expect(status.nodes).toEqual([
        {
          name: 'silent',
          site: 'cloud',
          role: 'worker',
          agent: { reachable: false, via: null, version: null, error: "not seen yet: the agent did not answer the desktop's watch within 50 ms" },
          publicKey: null,
          address: null,
          peers: [],
          managed: true,
        },
      ]);
    } finally {
      db.close();
    }
  });
});

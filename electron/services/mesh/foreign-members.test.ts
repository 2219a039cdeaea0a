import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PeerState, ResourceType, WatchEventType, type Resource } from '../../../proto/gen/spanwise/agent/v1/agent.js';
import type { MachineAgent } from '../agents/connect-machine.js';
import { DomainEvents } from '../domain-events.js';
import { EventBus } from '../events.js';
import { openDatabase, type Db } from '../store/database.js';
import { MeshHistoryStore } from '../store/mesh-history.js';
import { foreignNodes, nameFromLabel } from './foreign-members.js';
import { MeshService } from './mesh-service.js';
import { AgentMeshSource } from './mesh-source.js';
import type { MeshNodeInfo } from './types.js';

const key = (c: string) => `${c.repeat(43)}=`;
const machine = (name: string): MeshNodeInfo => ({ name, site: 'datacenter', role: 'worker' });
const identity = (k: string): Resource => ({
  metadata: { type: ResourceType.RESOURCE_TYPE_IDENTITY, id: 'local', version: 1, updated: undefined },
  spec: {
    $case: 'identity',
    value: { nodeId: 'n', publicKey: k, address: 'fd00::1', subnet: '', hostname: '', linkName: '', linkMac: '', linkFallback: false },
  },
});
const peer = (k: string, label: string, state: PeerState, endpoint = '198.18.5.20:51820'): Resource => ({
  metadata: { type: ResourceType.RESOURCE_TYPE_PEER_STATUS, id: k, version: 1, updated: undefined },
  spec: {
    $case: 'peerStatus',
    value: { publicKey: k, label, state, endpoint, lastHandshake: new Date(1000), rxBytes: 7, txBytes: 9, lastEndpointChange: undefined, reason: '' },
  },
});

describe('naming members Spanwise does not manage', () => {
  it('names each by its label, else by its key, never twice, and keeps names and sites it gave before', () => {
    expect(nameFromLabel('Talos-CP1.example.org')).toBe('talos-cp1-example-org');
    expect(nameFromLabel('../..')).toBe('');
    const first = foreignNodes(
      [
        { publicKey: key('T'), label: 'talos-1', endpoint: '198.18.5.20:51820' },
        { publicKey: key('U'), label: 'a', endpoint: '10.0.0.9:51820' },
        { publicKey: key('V'), label: '', endpoint: null },
      ],
      [machine('a')],
    );
    expect(first.map((n) => [n.name, n.site, n.managed, n.publicKey])).toEqual([
      [`member-${Buffer.from(key('U'), 'base64').subarray(0, 5).toString('hex')}`, 'edge', false, key('U')],
      [`member-${Buffer.from(key('V'), 'base64').subarray(0, 5).toString('hex')}`, 'edge', false, key('V')],
      ['talos-1', 'cloud', false, key('T')],
    ]);
    const again = foreignNodes([{ publicKey: key('T'), label: 'renamed', endpoint: '10.1.1.1:51820' }], [machine('a')], first);
    expect(again).toEqual([first[2]]);
  });
});

describe('the mesh view with a member Spanwise does not manage', () => {
  let dir: string;
  let db: Db;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'spanwise-foreign-'));
    db = openDatabase(dir);
    db.prepare(
      "INSERT INTO clusters (name, cluster_id, secret_sealed, ca_cert, ca_key_sealed, discovery, created_at) VALUES ('lab', 'id', x'00', '', x'00', '{}', '')",
    ).run();
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds it as a node from what the agents see: its column filled, its row unknown, gone when no agent peers with it', async () => {
    const streams = new Map<string, EventEmitter>();
    const open = async (name: string): Promise<MachineAgent> => {
      const stream = Object.assign(new EventEmitter(), { cancel: () => undefined });
      streams.set(name, stream);
      const connection = { client: { watchResources: () => stream }, via: 'direct', facts: { agentVersion: '0.1.0' }, close: async () => undefined };
      return { connection: connection as unknown as MachineAgent['connection'], lost: new Promise(() => undefined), close: async () => undefined };
    };
    const service = new MeshService({
      nodes: () => ({ cluster: 'lab', nodes: ['a', 'b'].map(machine) }),
      source: () => new AgentMeshSource(open, { now: () => 5000, timers: { set: () => 1, clear: () => undefined } }),
      history: new MeshHistoryStore(db),
      events: new EventBus(),
      inventory: new DomainEvents(),
      now: () => 5000,
    });
    service.start();
    await new Promise((r) => setImmediate(r));
    /** `name`'s agent sends a full snapshot: its own key, then its peers as [key letter, label, state]. */
    const report = (name: string, own: string, peers: Array<[string, string, PeerState]>) =>
      streams.get(name)?.emit('data', {
        type: WatchEventType.WATCH_EVENT_TYPE_SNAPSHOT,
        resources: [identity(key(own)), ...peers.map(([k, label, state]) => peer(key(k), label, state))],
      });
    report('a', 'A', [
      ['B', 'b', PeerState.PEER_STATE_UP],
      ['T', 'talos-1', PeerState.PEER_STATE_UP],
    ]);
    report('b', 'B', [
      ['A', 'a', PeerState.PEER_STATE_UP],
      ['T', 'talos-1', PeerState.PEER_STATE_DOWN],
    ]);

    const view = service.snapshot();
    expect(view.nodes.map((n) => [n.name, n.managed, n.site, n.health])).toEqual([
      ['a', true, 'datacenter', 100],
      ['b', true, 'datacenter', 67],
      ['talos-1', false, 'cloud', 50],
    ]);
    // Rows a, b, talos-1; the foreign row is never reported, so it stays unknown.
    expect(view.cells).toEqual([3, 1, 1, 1, 3, 2, 0, 0, 3]);
    expect(view.clusterHealth).toBe(75);
    expect(service.pair('a', 'talos-1', 5)).toMatchObject({ state: 'up', endpoint: '198.18.5.20:51820', rx: 7, tx: 9 });
    expect(service.pair('talos-1', 'a', 5)).toMatchObject({ state: 'unknown', endpoint: null, lastHandshake: null });
    const agents = await service.agents(0);
    expect(agents.nodes.map(({ node, agent }) => [node.name, agent === undefined])).toEqual([
      ['a', false],
      ['b', false],
      ['talos-1', true],
    ]);

    report('a', 'A', [['B', 'b', PeerState.PEER_STATE_UP]]);
    expect(service.snapshot().nodes.map((n) => n.name)).toEqual(['a', 'b', 'talos-1']);
    report('b', 'B', [['A', 'a', PeerState.PEER_STATE_UP]]);
    expect(service.snapshot().nodes.map((n) => n.name)).toEqual(['a', 'b']);
    await service.dispose();
  });
});

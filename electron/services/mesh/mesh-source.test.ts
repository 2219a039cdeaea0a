import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { PeerState, ResourceType, WatchEventType, type Resource } from '../../../proto/gen/spanwise/agent/v1/agent.js';
import type { MachineAgent } from '../agents/connect-machine.js';
import { MeshAggregator } from './aggregator.js';
import { AgentMeshSource } from './mesh-source.js';
import type { MeshNodeInfo } from './types.js';

const key = (c: string) => `${c.repeat(43)}=`;
const node = (name: string): MeshNodeInfo => ({ name, site: 'cloud', role: 'worker' });
const peerResource = (k: string, label: string): Resource => ({
  metadata: { type: ResourceType.RESOURCE_TYPE_PEER_STATUS, id: k, version: 1, updated: undefined },
  spec: {
    $case: 'peerStatus',
    value: {
      publicKey: k,
      label,
      state: PeerState.PEER_STATE_UP,
      endpoint: '198.18.1.11:51820',
      lastHandshake: new Date(1000),
      rxBytes: 5,
      txBytes: 6,
      lastEndpointChange: undefined,
      reason: '',
    },
  },
});

/** Fake agents by node name: each open gives a stream the test writes to; `closed` lists the agents closed. */
function fakeAgents() {
  const streams = new Map<string, EventEmitter>();
  const opened: string[] = [];
  const closed: string[] = [];
  const open = async (name: string): Promise<MachineAgent> => {
    opened.push(name);
    const stream = Object.assign(new EventEmitter(), { cancel: () => undefined });
    streams.set(name, stream);
    const client = { watchResources: () => stream };
    const connection = { client, via: 'direct', facts: { agentVersion: '0.1.0' }, close: async () => undefined } as unknown as MachineAgent['connection'];
    return { connection, lost: new Promise(() => undefined), close: async () => void closed.push(name) };
  };
  const settle = () => new Promise((r) => setImmediate(r));
  return { open, opened, closed, streams, settle };
}

describe('AgentMeshSource following a changed node set', () => {
  it('keeps the watches of nodes that stay, starts new ones, stops removed ones, and maps kept peers to a new node', async () => {
    const agents = fakeAgents();
    const source = new AgentMeshSource(agents.open, { now: () => 5000, timers: { set: () => 1, clear: () => undefined } });
    const first = new MeshAggregator(['a', 'b'].map(node), () => 0);
    source.follow(first);
    await agents.settle();
    agents.streams
      .get('a')
      ?.emit('data', { type: WatchEventType.WATCH_EVENT_TYPE_SNAPSHOT, resources: [peerResource(key('B'), 'b'), peerResource(key('C'), 'c')] });
    expect(first.code(0, 1)).toBe(1);

    const second = MeshAggregator.following(first, ['a', 'c'].map(node));
    source.follow(second);
    await agents.settle();
    expect(agents.opened).toEqual(['a', 'b', 'c']);
    expect(agents.closed).toEqual(['b']);
    expect(second.snapshot().nodes.map((n) => [n.name, n.agentReachable])).toEqual([
      ['a', true],
      ['c', true],
    ]);
    // a's peer labelled c was kept while c was no machine; it shows as soon as c is one.
    expect(second.code(0, 1)).toBe(1);
    expect(second.detail(0, 1)).toMatchObject({ rx: 5, endpoint: '198.18.1.11:51820' });

    agents.streams.get('b')?.emit('data', { type: WatchEventType.WATCH_EVENT_TYPE_SNAPSHOT, resources: [peerResource(key('A'), 'a')] });
    agents.streams.get('a')?.emit('data', { type: WatchEventType.WATCH_EVENT_TYPE_UPSERTED, resources: [peerResource(key('C'), 'c')] });
    expect(second.snapshot().nodes.map((n) => n.name)).toEqual(['a', 'c']);
    expect(first.code(0, 1)).toBe(1);
    await source.stop();
    expect(agents.closed.sort()).toEqual(['a', 'b', 'c']);
  });

  it('does not take a removed node that its peers still list for a member not managed', async () => {
    const agents = fakeAgents();
    const source = new AgentMeshSource(agents.open, { now: () => 5000, timers: { set: () => 1, clear: () => undefined } });
    const seen: string[][] = [];
    source.onForeign((members) => seen.push(members.map((m) => m.label)));
    const first = new MeshAggregator(['a', 'b'].map(node), () => 0);
    source.follow(first);
    await agents.settle();
    agents.streams
      .get('a')
      ?.emit('data', { type: WatchEventType.WATCH_EVENT_TYPE_SNAPSHOT, resources: [peerResource(key('B'), 'b'), peerResource(key('T'), 't')] });
    expect(seen.at(-1)).toEqual(['t']);
    source.follow(MeshAggregator.following(first, ['a'].map(node)));
    agents.streams.get('a')?.emit('data', { type: WatchEventType.WATCH_EVENT_TYPE_UPSERTED, resources: [peerResource(key('B'), 'b')] });
    expect(seen.at(-1)).toEqual(['t']);
    await source.stop();
  });

  it('asks an agent again at once on refresh instead of waiting out its backoff', async () => {
    const pending: Array<() => void> = [];
    const cleared: unknown[] = [];
    let fail = true;
    const agents = fakeAgents();
    const source = new AgentMeshSource(async (name) => (fail ? Promise.reject(new Error('refused')) : agents.open(name)), {
      timers: { set: (fn) => pending.push(fn), clear: (h) => cleared.push(h) },
    });
    const view = new MeshAggregator([node('a')], () => 0);
    source.follow(view);
    await agents.settle();
    expect(pending).toHaveLength(1);
    fail = false;
    source.refresh('a');
    await agents.settle();
    expect(cleared).toEqual([1]);
    expect(view.snapshot().nodes[0]?.agentReachable).toBe(true);
    await source.stop();
  });
});

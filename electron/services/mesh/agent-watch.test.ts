import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { PeerState, ResourceType, WatchEventType, type Resource } from '../../../proto/gen/spanwise/agent/v1/agent.js';
import type { MachineAgent } from '../agents/connect-machine.js';
import { AgentWatcher, type AgentStreamSink } from './agent-watch.js';
import { backoffDelay } from './backoff.js';

const key = (c: string) => `${c.repeat(43)}=`;
const peerResource = (k: string, label: string, state = PeerState.PEER_STATE_UP): Resource => ({
  metadata: { type: ResourceType.RESOURCE_TYPE_PEER_STATUS, id: k, version: 1, updated: undefined },
  spec: {
    $case: 'peerStatus',
    value: {
      publicKey: k,
      label,
      state,
      endpoint: '198.18.1.11:51820',
      lastHandshake: new Date(1000),
      rxBytes: 5,
      txBytes: 6,
      lastEndpointChange: undefined,
      reason: '',
    },
  },
});

function fakeAgent(streams: EventEmitter[]): MachineAgent {
  const client = {
    watchResources: () => {
      const stream = Object.assign(new EventEmitter(), { cancel: () => undefined });
      streams.push(stream);
      return stream;
    },
  };
  return {
    connection: { client, via: 'direct', facts: { agentVersion: '0.1.0' }, close: async () => undefined } as unknown as MachineAgent['connection'],
    lost: new Promise(() => undefined),
    close: async () => undefined,
  };
}

function recordingSink() {
  const log: string[] = [];
  const sink: AgentStreamSink = {
    link: (l) => log.push(`link ${l.reachable}`),
    identity: (i) => log.push(`identity ${i.publicKey.slice(0, 2)}`),
    peers: (p) => log.push(`peers ${p.map((x) => x.label).join(',')}`),
    peer: (p) => log.push(`peer ${p.label}`),
  };
  return { log, sink };
}

describe('AgentWatcher', () => {
  it('applies the snapshot, upserts and deletes, and drops malformed peers', async () => {
    const streams: EventEmitter[] = [];
    const { log, sink } = recordingSink();
    const watcher = new AgentWatcher(async () => fakeAgent(streams), sink, { timers: { set: () => 1, clear: () => undefined } });
    watcher.start();
    await new Promise((r) => setImmediate(r));
    const bad = peerResource('not-a-key', 'x');
    const identity: Resource = {
      metadata: undefined,
      spec: {
        $case: 'identity',
        value: { nodeId: 'n', publicKey: key('A'), address: 'fd00::1', subnet: '', hostname: 'a', linkName: '', linkMac: '', linkFallback: false },
      },
    };
    streams[0]?.emit('data', { type: WatchEventType.WATCH_EVENT_TYPE_SNAPSHOT, resources: [identity, peerResource(key('B'), 'b'), bad] });
    streams[0]?.emit('data', { type: WatchEventType.WATCH_EVENT_TYPE_UPSERTED, resources: [peerResource(key('C'), 'c')] });
    streams[0]?.emit('data', {
      type: WatchEventType.WATCH_EVENT_TYPE_DELETED,
      resources: [{ metadata: { type: ResourceType.RESOURCE_TYPE_PEER_STATUS, id: key('B'), version: 2, updated: undefined }, spec: undefined }],
    });
    expect(log).toEqual(['link true', 'identity AA', 'peers b', 'peer c', 'peers c']);
    const { answered, error, view } = watcher.watched();
    expect({ answered, error, peers: [...view.peers.keys()], refused: view.refused.count }).toEqual({
      answered: true,
      error: null,
      peers: [key('C')],
      refused: 1,
    });
    await watcher.stop();
  });

  it('marks the agent unreachable and reconnects with growing backoff when the stream ends or opening fails', async () => {
    const streams: EventEmitter[] = [];
    const { log, sink } = recordingSink();
    const delays: number[] = [];
    const pending: Array<() => void> = [];
    let fail = 1;
    const watcher = new AgentWatcher(
      async () => {
        if (fail-- > 0) throw new Error('refused');
        return fakeAgent(streams);
      },
      sink,
      { backoff: { baseMs: 100, maxMs: 1000, jitter: 0 }, timers: { set: (fn, ms) => (delays.push(ms), pending.push(fn)), clear: () => undefined } },
    );
    watcher.start();
    await watcher.firstAnswer;
    expect(log).toEqual(['link false']);
    expect(watcher.watched()).toMatchObject({ answered: true, error: 'refused', link: { reachable: false } });
    pending.shift()?.();
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['link false', 'link true']);
    streams[0]?.emit('error', new Error('reset'));
    expect(delays).toEqual([100, 200]);
    expect(log.at(-1)).toBe('link false');
    await watcher.stop();
  });

  it('computes bounded backoff delays', () => {
    expect([0, 1, 2, 10].map((a) => backoffDelay(a, { baseMs: 1000, maxMs: 60_000, jitter: 0 }))).toEqual([1000, 2000, 4000, 60_000]);
    expect(backoffDelay(0, { baseMs: 1000, maxMs: 60_000, jitter: 0.2 }, 0)).toBe(800);
  });
});

import { describe, expect, it } from 'vitest';
import { PeerState } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { ManualClock } from '../shared/clock.js';
import { silentLogger } from '../shared/log.js';
import { DiscoveredAffiliateKind, PeerRttKind, PeerStatusKind } from '../resources/kinds.js';
import { DryRunBackend } from '../wireguard/dry-run-backend.js';
import { createAgent } from './agent.js';
import { memoryPersistence, syntheticAffiliate, testConfig, testHost } from '../../test/support/agent-fixtures.js';

describe('peer latency (dry run)', () => {
  it('measures peers that are up through their mesh address and publishes the round trip in their status', async () => {
    const clock = new ManualClock();
    const backend = new DryRunBackend({ clock });
    const asked: string[] = [];
    const rtts = new Map<string, number | null>();
    const measureRtt = async (address: string) => {
      asked.push(address);
      return rtts.get(address) ?? null;
    };
    const { store, runtime } = createAgent({
      config: testConfig(),
      clock,
      log: silentLogger,
      backend,
      readHost: async () => testHost,
      persistence: memoryPersistence(),
      hostname: 'node-a',
      measureRtt,
    });
    const [up, silent, waiting] = [1, 2, 3].map((n) => syntheticAffiliate(n));
    for (const peer of [up, silent, waiting]) store.upsert(DiscoveredAffiliateKind, peer!.id, peer!.spec);
    rtts.set('fd7f:175a:b97c:5602::1', 12.3456);
    await runtime.settle();
    for (const peer of [up, silent]) backend.setPeerRuntime(peer!.publicKey, { lastHandshake: clock.now(), rxBytes: 92 });
    runtime.touchAll();
    await runtime.settle();

    expect(asked.sort()).toEqual(['fd7f:175a:b97c:5602::1', 'fd7f:175a:b97c:5602::2']);
    expect(store.get(PeerRttKind, up!.publicKey)?.spec).toEqual({ rttMs: 12.35 });
    expect(store.get(PeerStatusKind, up!.publicKey)?.spec).toMatchObject({ state: PeerState.PEER_STATE_UP, rttMs: 12.35 });
    expect(store.get(PeerStatusKind, silent!.publicKey)?.spec).toMatchObject({ state: PeerState.PEER_STATE_UP, rttMs: undefined });
    expect(store.get(PeerStatusKind, waiting!.publicKey)?.spec).toMatchObject({ state: PeerState.PEER_STATE_UNKNOWN, rttMs: undefined });

    store.delete(DiscoveredAffiliateKind, up!.id);
    runtime.touchAll();
    await runtime.settle();
    expect(store.get(PeerRttKind, up!.publicKey)).toBeUndefined();
  });
});

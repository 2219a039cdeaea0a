import { describe, expect, it } from 'vitest';
import { PeerState } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { ManualClock } from '../shared/clock.js';
import { silentLogger } from '../shared/log.js';
import { DiscoveredAffiliateKind, PeerProbeKind, PeerStatusKind } from '../resources/kinds.js';
import { DryRunBackend } from '../wireguard/dry-run-backend.js';
import { createAgent } from './agent.js';
import { memoryPersistence, syntheticAffiliate, testConfig, testHost } from '../../test/support/agent-fixtures.js';

/** A dry-run agent whose probes answer with `rtt(address)`, and the addresses it probed, in order. */
function probingAgent(rtt: (address: string) => number | null) {
  const clock = new ManualClock();
  const backend = new DryRunBackend({ clock });
  const asked: string[] = [];
  const measureRtt = async (address: string) => {
    asked.push(address);
    return rtt(address);
  };
  const agent = createAgent({
    config: testConfig(),
    clock,
    log: silentLogger,
    backend,
    readHost: async () => testHost,
    persistence: memoryPersistence(),
    hostname: 'node-a',
    measureRtt,
  });
  return { clock, backend, asked, store: agent.store, runtime: agent.runtime };
}

describe('peer probes (dry run)', () => {
  it('measures peers that are up through their mesh address and publishes the round trip in their status', async () => {
    const rtts = new Map<string, number | null>();
    const { clock, backend, store, runtime, asked } = probingAgent((address) => rtts.get(address) ?? null);
    const [up, silent, waiting] = [1, 2, 3].map((n) => syntheticAffiliate(n));
    for (const peer of [up, silent, waiting]) store.upsert(DiscoveredAffiliateKind, peer!.id, peer!.spec);
    rtts.set('fd7f:175a:b97c:5602::1', 12.3456);
    await runtime.settle();
    for (const peer of [up, silent]) backend.setPeerRuntime(peer!.publicKey, { lastHandshake: clock.now(), rxBytes: 92 });
    runtime.touchAll();
    await runtime.settle();
    // The status takes the round trip on its next refresh.
    runtime.touchAll();
    await runtime.settle();

    expect(asked.sort()).toEqual(['fd7f:175a:b97c:5602::1', 'fd7f:175a:b97c:5602::2']);
    expect(store.get(PeerProbeKind, up!.publicKey)?.spec).toEqual({ rttMs: 12.35, answeredAt: clock.now() });
    expect(store.get(PeerProbeKind, silent!.publicKey)).toBeUndefined();
    expect(store.get(PeerStatusKind, up!.publicKey)?.spec).toMatchObject({ state: PeerState.PEER_STATE_UP, rttMs: 12.35 });
    expect(store.get(PeerStatusKind, silent!.publicKey)?.spec).toMatchObject({ state: PeerState.PEER_STATE_UP, rttMs: undefined });
    expect(store.get(PeerStatusKind, waiting!.publicKey)?.spec).toMatchObject({ state: PeerState.PEER_STATE_UNKNOWN, rttMs: undefined });

    store.delete(DiscoveredAffiliateKind, up!.id);
    runtime.touchAll();
    await runtime.settle();
    expect(store.get(PeerProbeKind, up!.publicKey)).toBeUndefined();
  });

  it('probes an idle peer every 3 s and a busy one only every 10 s, and keeps when it last answered', async () => {
    let answering = true;
    const { clock, backend, store, runtime, asked } = probingAgent(() => (answering ? 5 : null));
    const [idle, busy] = [1, 2].map((n) => syntheticAffiliate(n));
    for (const peer of [idle, busy]) store.upsert(DiscoveredAffiliateKind, peer!.id, peer!.spec);
    await runtime.settle();
    let rx = 100;
    const step = async () => {
      rx += 1000;
      backend.setPeerRuntime(idle!.publicKey, { lastHandshake: clock.now(), rxBytes: 100 });
      backend.setPeerRuntime(busy!.publicKey, { lastHandshake: clock.now(), rxBytes: rx });
      runtime.touchAll();
      await runtime.settle();
      clock.advance(1_000);
    };
    for (let i = 0; i < 12; i++) await step();
    const count = (address: string) => asked.filter((a) => a === address).length;
    expect(count('fd7f:175a:b97c:5602::1')).toBe(4);
    expect(count('fd7f:175a:b97c:5602::2')).toBe(2);

    const answeredAt = store.get(PeerProbeKind, idle!.publicKey)?.spec.answeredAt;
    answering = false;
    for (let i = 0; i < 4; i++) await step();
    expect(store.get(PeerProbeKind, idle!.publicKey)?.spec).toEqual({ answeredAt: expect.any(Number) });
    expect(store.get(PeerProbeKind, idle!.publicKey)!.spec.answeredAt).toBeGreaterThanOrEqual(answeredAt!);
  });
});

import { describe, expect, it } from 'vitest';
import { PeerState } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { ManualClock } from '../shared/clock.js';
import { silentLogger } from '../shared/log.js';
import { DiscoveredAffiliateKind, PeerProbeKind, PeerStatusKind } from '../resources/kinds.js';
import { DryRunBackend } from '../wireguard/dry-run-backend.js';
import { createAgent } from './agent.js';
import { memoryPersistence, syntheticAffiliate, testConfig, testHost } from '../../test/support/agent-fixtures.js';

/** A dry-run agent whose probes answer with `rtt(address)`, and the addresses it probed, in order. */
function probingAgent(rtt: (address: string) => number | null, config = testConfig()) {
  const clock = new ManualClock();
  const backend = new DryRunBackend({ clock });
  const asked: string[] = [];
  const measureRtt = async (address: string) => {
    asked.push(address);
    return rtt(address);
  };
  const agent = createAgent({
    config,
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
    expect(store.get(PeerProbeKind, silent!.publicKey)?.spec).toEqual({ pendingSince: clock.now() });
    expect(store.get(PeerStatusKind, up!.publicKey)?.spec).toMatchObject({ state: PeerState.PEER_STATE_UP, rttMs: 12.35 });
    expect(store.get(PeerStatusKind, silent!.publicKey)?.spec).toMatchObject({ state: PeerState.PEER_STATE_UP, rttMs: undefined });
    expect(store.get(PeerStatusKind, waiting!.publicKey)?.spec).toMatchObject({ state: PeerState.PEER_STATE_UNKNOWN, rttMs: undefined });

    store.delete(DiscoveredAffiliateKind, up!.id);
    runtime.touchAll();
    await runtime.settle();
    expect(store.get(PeerProbeKind, up!.publicKey)).toBeUndefined();
  });

  it('probes an idle peer every 3 s, its answers not counting as traffic, and a busy one only every 10 s', async () => {
    let answering = true;
    let answered = 0;
    const { clock, backend, store, runtime, asked } = probingAgent((address) => {
      if (!answering) return null;
      if (address.endsWith('::1')) answered += 1;
      return 5;
    });
    const [idle, busy] = [1, 2].map((n) => syntheticAffiliate(n));
    for (const peer of [idle, busy]) store.upsert(DiscoveredAffiliateKind, peer!.id, peer!.spec);
    await runtime.settle();
    const handshake = clock.now();
    let rx = 100;
    const step = async () => {
      rx += 1000;
      // Each answered probe brings a RST through the tunnel: 96 bytes.
      backend.setPeerRuntime(idle!.publicKey, { lastHandshake: handshake, rxBytes: 100 + 96 * answered });
      backend.setPeerRuntime(busy!.publicKey, { lastHandshake: handshake, rxBytes: rx });
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
    expect(store.get(PeerProbeKind, idle!.publicKey)?.spec).toEqual({ answeredAt, pendingSince: answeredAt! + 3_000 });
  });

  it('probes a new WireGuard session at once, and keeps the first unanswered probe since the peer was last heard from', async () => {
    const { clock, backend, store, runtime, asked } = probingAgent(() => null);
    const peer = syntheticAffiliate(1)!;
    store.upsert(DiscoveredAffiliateKind, peer.id, peer.spec);
    await runtime.settle();
    const firstProbe = clock.now();
    const step = async (rxBytes: number, lastHandshake = firstProbe) => {
      backend.setPeerRuntime(peer.publicKey, { lastHandshake, rxBytes });
      runtime.touchAll();
      await runtime.settle();
    };
    await step(92);
    for (let i = 0; i < 7; i++) {
      clock.advance(1_000);
      await step(92);
    }
    // Unanswered every 3 s: the first one is when the silence began.
    expect(asked.length).toBe(3);
    expect(store.get(PeerProbeKind, peer.publicKey)?.spec).toEqual({ pendingSince: firstProbe });
    // A keepalive arrives: nothing is pending, and the next probe starts a new wait.
    clock.advance(1_000);
    await step(124);
    expect(store.get(PeerProbeKind, peer.publicKey)).toBeUndefined();
    clock.advance(1_000);
    await step(124);
    expect(store.get(PeerProbeKind, peer.publicKey)?.spec).toEqual({ pendingSince: clock.now() });
    // A new session (the link was re-created, counters start again) is probed without waiting 3 s.
    clock.advance(1_000);
    await step(92, clock.now());
    expect(asked.length).toBe(5);
  });

  it('reports a relayed peer up as soon as its first probe through the relay is answered, not on the next refresh', async () => {
    const config = testConfig('relays:\n  - { between: [node-a, h2], via: h1 }\n');
    const { clock, backend, store, runtime } = probingAgent(() => 5, config);
    const [relay, far] = [syntheticAffiliate(1), syntheticAffiliate(2)];
    for (const peer of [relay, far]) {
      store.upsert(DiscoveredAffiliateKind, peer.id, { ...peer.spec, info: { ...peer.spec.info, operatingSystem: 'Linux (Spanwise v0.1.0)' } });
    }
    await runtime.settle();
    backend.setPeerRuntime(relay.publicKey, { lastHandshake: clock.now(), rxBytes: 92 });
    runtime.touchAll();
    await runtime.settle();
    expect(store.get(PeerProbeKind, far.publicKey)?.spec.answeredAt).toBe(clock.now());
    expect(store.get(PeerStatusKind, far.publicKey)?.spec).toMatchObject({ state: PeerState.PEER_STATE_UP, via: 'h1', rttMs: 5 });
  });
});

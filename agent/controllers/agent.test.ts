import { describe, expect, it } from 'vitest';
import { PeerState } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { ManualClock } from '../shared/clock.js';
import { silentLogger } from '../shared/log.js';
import {
  DiscoveredAffiliateKind,
  EndpointKind,
  HealthKind,
  IdentityKind,
  LocalAffiliateKind,
  PeerSpecKind,
  PeerStatusKind,
  ReflectedAddressKind,
} from '../resources/kinds.js';
import { DryRunBackend } from '../wireguard/dry-run-backend.js';
import { createAgent } from './agent.js';
import { memoryPersistence, syntheticAffiliate, testConfig, testHost } from '../../test/support/agent-fixtures.js';

function setup(extra = '') {
  const clock = new ManualClock();
  const backend = new DryRunBackend({ clock });
  const persistence = memoryPersistence();
  const agent = createAgent({ config: testConfig(extra), clock, log: silentLogger, backend, readHost: async () => testHost, persistence, hostname: 'node-a' });
  return { ...agent, clock, backend, persistence };
}

describe('agent controllers over the store (dry run)', () => {
  it('derives the identity from the first physical NIC and persists the address', async () => {
    const { store, runtime, persistence } = setup();
    await runtime.settle();
    expect(store.get(IdentityKind, 'local')?.spec).toMatchObject({
      address: 'fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169',
      subnet: 'fd7f:175a:b97c:5602::/64',
      linkName: 'eth0',
      linkFallback: false,
      nodeId: 'localNodeId',
    });
    expect(persistence.saved.at(-1)?.address).toBe('fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169');
    expect(store.list(HealthKind)).toEqual([]);
  });

  it('advertises endpoints with the reflected address and publishes them in the local affiliate', async () => {
    const { store, runtime } = setup("filters:\n  endpoints: ['0.0.0.0/0']\n");
    store.upsert(ReflectedAddressKind, 'http://127.0.0.1:3000', { ip: '203.0.113.9' });
    await runtime.settle();
    expect(store.list(EndpointKind).map((e) => e.id)).toEqual(['10.0.0.5:51820', '203.0.113.9:51820']);
    expect(store.get(LocalAffiliateKind, 'local')?.spec.endpoints).toEqual(['10.0.0.5:51820', '203.0.113.9:51820']);
  });

  it('turns discovered members into peers, programs them and tracks their state', async () => {
    const { store, runtime, backend, clock } = setup();
    const peer = syntheticAffiliate(1);
    store.upsert(DiscoveredAffiliateKind, peer.id, peer.spec);
    await runtime.settle();
    expect(store.get(PeerSpecKind, peer.publicKey)?.spec.allowedIps).toEqual(['10.100.1.0/24', '172.16.0.1/32', 'fd7f:175a:b97c:5602::1/128']);
    expect(store.get(PeerStatusKind, peer.publicKey)?.spec).toMatchObject({ state: PeerState.PEER_STATE_UNKNOWN, endpoint: '198.18.0.1:51820' });
    expect(backend.lines().some((l) => l.includes(`peer ${peer.publicKey}`) && l.includes('endpoint 198.18.0.1:51820'))).toBe(true);

    clock.advance(7_000);
    runtime.touchAll();
    await runtime.settle();
    expect(store.get(PeerStatusKind, peer.publicKey)?.spec).toMatchObject({ state: PeerState.PEER_STATE_DOWN, endpoint: '172.16.0.1:51820' });
    expect(backend.lines().at(-1)).toBe(`wg set kubespan peer ${peer.publicKey} persistent-keepalive 25`);

    clock.advance(1_000);
    backend.setPeerRuntime(peer.publicKey, { lastHandshake: clock.now(), rxBytes: 92 });
    runtime.touchAll();
    await runtime.settle();
    expect(store.get(PeerStatusKind, peer.publicKey)?.spec).toMatchObject({ state: PeerState.PEER_STATE_UP, rxBytes: 92 });

    store.delete(DiscoveredAffiliateKind, peer.id);
    await runtime.settle();
    expect(store.list(PeerStatusKind)).toEqual([]);
    expect(backend.lines()).toContain(`wg set kubespan peer ${peer.publicKey} remove`);
  });
});

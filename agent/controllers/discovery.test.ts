import { describe, expect, it } from 'vitest';
import { clusterKey, openAffiliate, openEndpoint, sealAffiliate, sealEndpoint } from '../shared/affiliate-crypto.js';
import { ManualClock } from '../shared/clock.js';
import { silentLogger } from '../shared/log.js';
import { DiscoveredAffiliateKind, HealthKind, LocalAffiliateKind, ReflectedAddressKind } from '../resources/kinds.js';
import { ResourceStore } from '../resources/store.js';
import { discoveryController, type DiscoveryConnection, type RawAffiliate } from './discovery.js';
import { ControllerRuntime } from './runtime.js';
import { syntheticAffiliate, testConfig } from '../../test/support/agent-fixtures.js';

type Handler = Parameters<DiscoveryConnection['watch']>[1];

function fakeService(options: { clientIp?: string; redirect?: string; fail?: boolean } = {}) {
  const updates: Parameters<DiscoveryConnection['update']>[0][] = [];
  const handlers: Handler[] = [];
  const conn: DiscoveryConnection = {
    hello: async () => {
      if (options.fail) throw new Error('14 UNAVAILABLE: connect ECONNREFUSED');
      return { clientIp: options.clientIp, redirect: options.redirect };
    },
    update: async (u) => void updates.push(u),
    delete: async () => {},
    watch: (_id, handler) => {
      handlers.push(handler);
      return { close: () => {} };
    },
    close: () => {},
  };
  return { conn, updates, handlers };
}

const config = { ...testConfig(), discovery: { endpoints: ['http://a:3000', 'https://b'] } };

describe('discovery controller', () => {
  const key = clusterKey(testConfig().cluster.secret);
  const raw = (n: number, endpoints: string[]): RawAffiliate => {
    const a = syntheticAffiliate(n);
    return { id: a.id, data: sealAffiliate(key, a.spec.info), endpoints: endpoints.map((e) => sealEndpoint(key, e)) };
  };

  it('follows redirects, keeps the reflected address, publishes encrypted and merges members of all services', async () => {
    const cfg = config;
    const a = fakeService({ clientIp: '203.0.113.9', redirect: 'a2:3000' });
    const a2 = fakeService({ clientIp: '203.0.113.9' });
    const b = fakeService({});
    const connected: string[] = [];
    const controller = discoveryController(cfg, (target) => {
      connected.push(`${target.endpoint}${target.insecure ? '' : ' tls'}`);
      return target.endpoint === 'a:3000' ? a.conn : target.endpoint === 'a2:3000' ? a2.conn : b.conn;
    });
    const clock = new ManualClock();
    const store = new ResourceStore(clock);
    const runtime = new ControllerRuntime(store, clock, silentLogger).add(controller);
    const local = syntheticAffiliate(500);
    store.upsert(LocalAffiliateKind, 'local', { id: local.id, info: local.spec.info, endpoints: ['10.0.0.5:51820'] });
    await runtime.settle();
    expect(connected).toEqual(['a:3000', 'a2:3000', 'b:443 tls']);
    expect(store.get(ReflectedAddressKind, 'http://a:3000')?.spec.ip).toBe('203.0.113.9');
    const update = a2.updates[0]!;
    expect(update).toMatchObject({ affiliateId: local.id, ttlMs: 30 * 60_000 });
    expect(openAffiliate(key, update.data!).nodeId).toBe(local.id);
    expect(update.endpoints!.map((e) => openEndpoint(key, e))).toEqual(['10.0.0.5:51820']);

    a2.handlers[0]!.snapshot([raw(1, ['1.1.1.1:51820'])]);
    b.handlers[0]!.snapshot([raw(1, ['2.2.2.2:51820']), raw(2, []), { id: 'garbage', data: Buffer.alloc(40), endpoints: [] }]);
    expect(store.list(DiscoveredAffiliateKind).map((r) => [r.id, r.spec.endpoints, r.spec.sources.length])).toEqual([
      ['node-00001', ['1.1.1.1:51820', '2.2.2.2:51820'], 2],
      ['node-00002', [], 1],
    ]);
    b.handlers[0]!.delete('node-00002');
    expect(store.list(DiscoveredAffiliateKind)).toHaveLength(1);

    clock.advance(60_000);
    await runtime.settle();
    expect(a2.updates).toHaveLength(1);
    store.upsert(LocalAffiliateKind, 'local', { id: local.id, info: local.spec.info, endpoints: ['10.0.0.6:51820'] });
    await runtime.settle();
    expect(a2.updates).toHaveLength(2);
  });

  it('reports an unreachable service as health', async () => {
    const failing = fakeService({ fail: true });
    const controller = discoveryController(config, () => failing.conn);
    const clock = new ManualClock();
    const store = new ResourceStore(clock);
    await new ControllerRuntime(store, clock, silentLogger).add(controller).settle();
    expect(store.list(HealthKind).map((h) => h.spec.code)).toEqual(['DISCOVERY_UNREACHABLE', 'DISCOVERY_UNREACHABLE']);
  });
});

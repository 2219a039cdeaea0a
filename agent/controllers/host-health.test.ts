import { describe, expect, it } from 'vitest';
import { ManualClock } from '../shared/clock.js';
import { silentLogger } from '../shared/log.js';
import { HealthKind, HostNetworkKind } from '../resources/kinds.js';
import { ResourceStore } from '../resources/store.js';
import { clockWarnings, hostHealthController, linkLocalWarnings, mtuWarnings } from './host-health.js';
import { ControllerRuntime } from './runtime.js';
import { testHost } from '../../test/support/agent-fixtures.js';

describe('host health', () => {
  it('warns when the mesh MTU is above the underlay minus 80', () => {
    expect(mtuWarnings(1420, testHost)).toEqual([]);
    const small = { ...testHost, links: testHost.links.map((l) => (l.name === 'eth0' ? { ...l, mtu: 1450 } : l)) };
    expect(mtuWarnings(1420, small)).toEqual([
      expect.objectContaining({ code: 'MTU_ABOVE_UNDERLAY', evidence: expect.objectContaining({ recommended: '1370' }) }),
    ]);
  });

  it('reports an up link whose only IPv4 address is link-local, and nothing for routable or down links', () => {
    expect(linkLocalWarnings(testHost)).toEqual([]);
    const anchor = { name: 'eth1', physical: true, up: true, mtu: 1500, addresses: ['169.254.3.4/16', 'fe80::1/64'] };
    expect(linkLocalWarnings({ ...testHost, links: [...testHost.links, anchor] })).toEqual([
      expect.objectContaining({ code: 'LINK_LOCAL_ADDRESS', subject: 'eth1', severity: 'info', evidence: { link: 'eth1', addresses: '169.254.3.4/16' } }),
    ]);
    expect(linkLocalWarnings({ ...testHost, links: [...testHost.links, { ...anchor, up: false }] })).toEqual([]);
    expect(linkLocalWarnings({ ...testHost, links: [...testHost.links, { ...anchor, addresses: ['169.254.3.4/16', '10.1.0.4/24'] }] })).toEqual([]);
  });

  it('reports clock skew and NTP state', () => {
    expect(clockWarnings({ synchronized: true, skewMs: 1000 })).toEqual([]);
    expect(clockWarnings({ synchronized: false, skewMs: -90_000, reference: 'https://d' }).map((w) => w.code)).toEqual([
      'CLOCK_SKEW',
      'CLOCK_NOT_SYNCHRONIZED',
    ]);
  });

  it('turns a taken port into a warning resource that clears when free', async () => {
    const clock = new ManualClock();
    const store = new ResourceStore(clock);
    let port: 'taken' | 'free' = 'taken';
    const runtime = new ControllerRuntime(store, clock, silentLogger).add(
      hostHealthController(1420, {
        port: async () => (port === 'taken' ? { state: 'taken', owner: 'wg0' } : { state: 'free' }),
        clock: async () => ({ synchronized: true }),
      }),
    );
    store.upsert(HostNetworkKind, 'host', testHost);
    await runtime.settle();
    expect(store.list(HealthKind).map((h) => [h.id, h.spec.text])).toEqual([['PORT_51820_TAKEN', 'UDP 51820 is already used by wg0; the mesh cannot listen']]);
    port = 'free';
    runtime.touchAll();
    await runtime.settle();
    expect(store.list(HealthKind)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { testConfig, testHost } from '../../test/support/agent-fixtures.js';
import { ManualClock } from '../shared/clock.js';
import { silentLogger } from '../shared/log.js';
import { HostNetworkKind, IdentityKind, LocalAffiliateKind, RelayReachKind } from '../resources/kinds.js';
import { ResourceStore } from '../resources/store.js';
import { localAffiliateController } from './local-affiliate.js';
import { ControllerRuntime } from './runtime.js';

const key = (n: number) => Buffer.alloc(32, n).toString('base64');

async function published(extra: string, unreachable?: string[]) {
  const clock = new ManualClock();
  const store = new ResourceStore(clock);
  store.upsert(HostNetworkKind, 'host', testHost);
  store.upsert(IdentityKind, 'local', {
    nodeId: 'node-a',
    publicKey: key(200),
    address: 'fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169',
    subnet: 'fd7f:175a:b97c:5602::/64',
    hostname: 'edge1',
    linkName: 'eth0',
    linkMac: '2e:1a:b6:53:81:69',
    linkFallback: false,
  });
  if (unreachable) store.upsert(RelayReachKind, 'local', { unreachable, dial: {} });
  await new ControllerRuntime(store, clock, silentLogger).add(localAffiliateController(testConfig(extra))).settle();
  return store.get(LocalAffiliateKind, 'local')?.spec.info;
}

describe('what this node publishes for automatic relaying', () => {
  it('publishes nothing extra in manual mode', async () => {
    const info = await published('', [key(1)]);
    expect(info?.nodename).toBe('edge1');
    expect(info && 'spanwise' in info).toBe(false);
  });

  it('in auto mode offers to relay, names its site and the unreachable peers as sorted key prefixes, at most 32', async () => {
    expect((await published('relayMode: auto\nnode:\n  site: cloud\n', [key(2), key(1)]))?.spanwise).toEqual({
      relayOffer: true,
      site: 'cloud',
      unreachable: ['010101010101', '020202020202'],
    });
    const many = await published(
      'relayMode: auto\n',
      Array.from({ length: 40 }, (_, i) => key(40 - i)),
    );
    expect(many?.spanwise?.site).toBe('');
    expect(many?.spanwise?.unreachable).toHaveLength(32);
    expect(many?.spanwise?.unreachable[0]).toBe('010101010101');
  });
});

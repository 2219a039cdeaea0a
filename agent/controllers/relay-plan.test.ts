import { describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support/agent-fixtures.js';
import { ManualClock } from '../shared/clock.js';
import { silentLogger } from '../shared/log.js';
import { relayKeyPrefix, type AffiliateInfo } from '../shared/affiliate-crypto.js';
import { DiscoveredAffiliateKind, HealthKind, LocalAffiliateKind, RelayPlanKind } from '../resources/kinds.js';
import { ResourceStore } from '../resources/store.js';
import { relayPlanController } from './relay-plan.js';
import { ControllerRuntime } from './runtime.js';

const key = (n: number) => Buffer.alloc(32, n).toString('base64');
const names = ['', 'cloud1', 'edge1', 'edge2', 'edge3'];
const info = (n: number, unreachable: number[] = []): AffiliateInfo => ({
  nodeId: `node-${n}`,
  addresses: [`192.0.2.${n}`],
  hostname: names[n] ?? '',
  nodename: names[n] ?? '',
  machineType: 'worker',
  operatingSystem: 'Linux (Spanwise v0.1.0)',
  kubespan: { publicKey: key(n), address: `fd7f:175a:b97c:5602::${n}`, additionalAddresses: [], excludeAdvertisedAddresses: [] },
  spanwise: { relayOffer: true, site: n === 1 ? 'cloud' : 'edge', unreachable: unreachable.map((u) => relayKeyPrefix(key(u))) },
});

async function planOn(own: AffiliateInfo, others: AffiliateInfo[], relayMode: 'manual' | 'auto' = 'auto') {
  const clock = new ManualClock();
  const store = new ResourceStore(clock);
  store.upsert(LocalAffiliateKind, 'local', { id: own.nodeId, info: own, endpoints: [] });
  for (const o of others) store.upsert(DiscoveredAffiliateKind, o.nodeId, { info: o, endpoints: [], sources: [] });
  const runtime = new ControllerRuntime(store, clock, silentLogger).add(relayPlanController({ ...testConfig(), relayMode }));
  await runtime.settle();
  return { plan: store.get(RelayPlanKind, 'cluster')?.spec, health: store.list(HealthKind).map((h) => h.spec) };
}

describe('the relay plan controller', () => {
  it('gives both ends of a pair the same relay from what each publishes and sees', async () => {
    const [cloud1, edge1, edge2] = [info(1), info(2, [3]), info(3)];
    const onEdge1 = await planOn(edge1, [cloud1, edge2]);
    const onEdge2 = await planOn(edge2, [cloud1, edge1]);
    const onCloud1 = await planOn(cloud1, [edge1, edge2]);
    const expected = { relays: [{ between: ['edge1', 'edge2'], via: 'cloud1' }], auto: true };
    expect([onEdge1.plan, onEdge2.plan, onCloud1.plan]).toEqual([expected, expected, expected]);
  });

  it("reads this node's own reports from its local affiliate, not from discovery's stale echo of it", async () => {
    // edge1 lost edge2 long ago (published) and cloud1 just now (discovery, on cloud1, no longer answers).
    const stale = info(2, [3]);
    const own = info(2, [3, 1]);
    const { plan } = await planOn(own, [
      info(1),
      stale,
      info(3, [2]),
      { ...info(5), hostname: 'cloud2', nodename: 'cloud2', spanwise: { relayOffer: true, site: 'cloud', unreachable: [] } },
    ]);
    expect(plan?.relays).toContainEqual({ between: ['edge1', 'edge2'], via: 'cloud2' });
  });

  it('in manual mode holds the config relays only', async () => {
    expect((await planOn(info(2, [3]), [info(1), info(3)], 'manual')).plan).toEqual({ relays: [], auto: false });
  });

  it('leaves out a member whose relay data is out of bounds, with a warning naming it', async () => {
    const bad: AffiliateInfo = { ...info(3), spanwise: undefined, spanwiseError: 'spanwise.unreachable: 33 entries, at most 32' };
    const { plan, health } = await planOn(info(2, [3]), [info(1), bad]);
    expect(plan).toEqual({ relays: [], auto: true });
    expect(health).toEqual([
      expect.objectContaining({ code: 'RELAY_DATA_INVALID', evidence: { member: 'edge2', problem: 'spanwise.unreachable: 33 entries, at most 32' } }),
    ]);
  });
});

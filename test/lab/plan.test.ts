import { describe, expect, it } from 'vitest';
import { gatewayRuleset, hostRuleset, ruleStatement } from './firewall.js';
import { planScenario } from './plan.js';
import { defineScenario } from './scenario.js';
import { scenarios } from './scenarios/index.js';

describe('scenario plans', () => {
  it.each(Object.keys(scenarios))('%s validates and stays inside 198.18.0.0/15', (name) => {
    const plan = planScenario(scenarios[name]!);
    for (const h of plan.hosts) {
      for (const a of [h.publicAddress, h.privateAddress].filter((x): x is string => x !== null)) {
        expect(a).toMatch(/^198\.1[89]\.\d+\.\d+$/);
      }
      expect(h.namespace).toBe(`swlab-${h.name}`);
    }
  });

  it('addresses hybrid: cloud on the public net, dc and edge on their LANs behind gateways', () => {
    const plan = planScenario(scenarios.hybrid!);
    const by = Object.fromEntries(plan.hosts.map((h) => [h.name, h]));
    expect(by.cloud1).toMatchObject({ site: 'cloud', publicAddress: '198.18.1.10', privateAddress: null, gateway: null });
    expect(by['dc-gw']).toMatchObject({ site: 'gateway', publicAddress: '198.18.2.1', privateAddress: '198.19.2.1' });
    expect(by.dc1).toMatchObject({ site: 'datacenter', publicAddress: null, privateAddress: '198.19.2.10', gateway: 'dc-gw' });
    expect(by.edge1).toMatchObject({ site: 'edge', privateAddress: '198.19.3.10', gateway: 'edge-gw', mtu: 1492 });
    expect(by['dc-gw']!.forwards).toEqual([
      { proto: 'tcp', port: 50000, to: 'dc1', toAddress: '198.19.2.10', toPort: 50000 },
      { proto: 'udp', port: 51820, to: 'dc1', toAddress: '198.19.2.10', toPort: 51820 },
    ]);
  });

  it('renders stateful rules, reject variants and both NAT kinds', () => {
    expect(ruleStatement({ direction: 'inbound', proto: 'udp', port: 51820, action: 'drop' })).toBe('udp dport 51820 drop');
    expect(ruleStatement({ direction: 'inbound', proto: 'tcp', port: 50000, action: 'reject' })).toBe('tcp dport 50000 reject with tcp reset');
    expect(ruleStatement({ direction: 'outbound', proto: 'any', action: 'drop' })).toBe('drop');
    const plan = planScenario(scenarios['hard-nat']!);
    const gw = plan.hosts.find((h) => h.name === 'home-gw')!;
    expect(gatewayRuleset(gw)).toContain('masquerade fully-random');
    const hybrid = planScenario(scenarios.hybrid!);
    const dcgw = hybrid.hosts.find((h) => h.name === 'dc-gw')!;
    expect(gatewayRuleset(dcgw)).toMatch(/oifname "wan" ip saddr 198\.19\.2\.0\/24 masquerade\n/);
    expect(hostRuleset(hybrid.hosts.find((h) => h.name === 'cloud1')!)).toBe('');
    const hf = planScenario(scenarios['host-firewall']!).hosts.find((h) => h.name === 'cloud2')!;
    expect(hostRuleset(hf)).toContain('ct state established,related accept');
    expect(hostRuleset(hf)).toContain('udp dport 51820 drop');
  });

  it('rejects bad scenarios', () => {
    const base = { name: 'x', description: 'x', reachability: [] };
    expect(() => planScenario(defineScenario({ ...base, sites: [{ kind: 'cloud', name: 'c', hosts: [{ name: 'a' }, { name: 'a' }] }] }))).toThrow(/duplicate/);
    expect(() => planScenario(defineScenario({ ...base, sites: [{ kind: 'cloud', name: 'c', hosts: [{ name: 'Bad_Name' }] }] }))).toThrow(/must match/);
    expect(() =>
      planScenario(
        defineScenario({ ...base, sites: [{ kind: 'datacenter', name: 'd', forwards: [{ proto: 'tcp', port: 1, to: 'nope' }], hosts: [{ name: 'a' }] }] }),
      ),
    ).toThrow(/unknown host/);
    expect(() =>
      planScenario(
        defineScenario({
          ...base,
          sites: [{ kind: 'cloud', name: 'c', hosts: [{ name: 'a' }] }],
          reachability: [{ from: 'a', to: 'zz', proto: 'tcp', port: 1, reachable: true }],
        }),
      ),
    ).toThrow(/unknown host/);
  });
});

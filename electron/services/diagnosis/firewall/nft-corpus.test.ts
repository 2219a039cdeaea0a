import { describe, expect, it } from 'vitest';
import { nftCases, type Expected } from '../../../../test/support/rulesets/nft/cases.js';
import { corpusJson, corpusNames } from '../../../../test/support/rulesets/nft/generate.js';
import { judgeNftables } from './nftables.js';
import type { PortQuery, RuleVerdict } from './types.js';

const ports = { udp: 51820, tcp: 50000 } as const;

function expectVerdict(v: RuleVerdict, expected: Expected, what: string): void {
  if (expected === 'allow') expect(v, what).toMatchObject({ verdict: 'allow', rule: null });
  else if ('block' in expected) expect(v, what).toMatchObject({ verdict: 'block', rule: expected.block });
  else {
    expect(v.verdict, what).toBe('unknown');
    expect(v.reason, what).toContain(expected.unknown);
  }
}

const judge = (name: string, q: Omit<PortQuery, 'port'>) => judgeNftables(corpusJson(name), { ...q, port: ports[q.protocol] });

describe('the nftables corpus, as real nft lists it', () => {
  it('has a case for every ruleset, and at least 12', () => {
    expect(nftCases.map((c) => c.name).sort()).toEqual(corpusNames());
    expect(nftCases.length).toBeGreaterThanOrEqual(12);
  });

  for (const c of nftCases) {
    it(`${c.name}: ${c.why}`, () => {
      for (const direction of ['inbound', 'outbound'] as const) {
        for (const protocol of ['udp', 'tcp'] as const) {
          expectVerdict(judge(c.name, { protocol, direction, family: 'ipv4' }), c[direction][protocol], `${direction} ${protocol} ipv4`);
          const v6 = c.ipv6?.[direction]?.[protocol] ?? c[direction][protocol];
          expectVerdict(judge(c.name, { protocol, direction, family: 'ipv6' }), v6, `${direction} ${protocol} ipv6`);
        }
      }
      for (const l of c.links ?? []) {
        for (const protocol of ['udp', 'tcp'] as const) {
          expectVerdict(judge(c.name, { protocol, direction: l.direction, iface: l.iface }), l[protocol], `${l.direction} ${protocol} on ${l.iface}`);
        }
      }
    });
  }

  it('a block names the rule by family, table, chain and handle, and the base chain an accept goes in', () => {
    expect(judge('user-chains', { protocol: 'tcp' })).toMatchObject({
      anchors: ['inet firewall inbound'],
      location: { family: 'inet', table: 'firewall', chain: 'inbound', handle: 9, baseChain: 'inbound' },
    });
    expect(judge('reject', { protocol: 'udp' })).toMatchObject({
      anchors: ['ip filter INPUT'],
      location: { family: 'ip', table: 'filter', chain: 'fw', handle: 4, baseChain: 'INPUT' },
    });
    expect(judge('named-set-accept', { protocol: 'tcp' }).location).toEqual({
      family: 'inet',
      table: 'filter',
      chain: 'input',
      handle: null,
      baseChain: 'input',
    });
  });
});

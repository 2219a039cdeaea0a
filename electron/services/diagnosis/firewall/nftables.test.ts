import { describe, expect, it } from 'vitest';
import { corpusJson } from '../../../../test/support/rulesets/nft/generate.js';
import { labHostRuleset } from '../../../../test/support/rulesets/nft/lab-host.js';
import { inspectFirewall } from './inspect.js';
import { NFT_LIMITS } from './nft-schema.js';
import { judgeNftables, nftFiltersInbound, nftHasDocker } from './nftables.js';

const udp = { protocol: 'udp', port: 51820 } as const;
const tcp = { protocol: 'tcp', port: 50000 } as const;

/** A ruleset of one inet table with an input chain (policy drop) holding rules of the given statements. */
function inputChain(...rules: unknown[][]): string {
  return JSON.stringify({
    nftables: [
      { table: { family: 'inet', name: 'filter', handle: 1 } },
      { chain: { family: 'inet', table: 'filter', name: 'input', handle: 1, type: 'filter', hook: 'input', prio: 0, policy: 'drop' } },
      ...rules.map((expr, i) => ({ rule: { family: 'inet', table: 'filter', chain: 'input', handle: 10 + i, expr } })),
    ],
  });
}
const udpPort = { match: { op: '==', left: { payload: { protocol: 'udp', field: 'dport' } }, right: 51820 } };

describe('nftables read as data', () => {
  it('says unknown, never blocked, when nft prints no JSON (an old nft) or nothing readable', () => {
    expect(judgeNftables("nft: invalid option -- 'j'\n", udp)).toMatchObject({
      verdict: 'unknown',
      reason: expect.stringContaining(`"nft: invalid option -- 'j'"`),
    });
    expect(judgeNftables('{"nftables": 3}', udp)).toMatchObject({ verdict: 'unknown', reason: expect.stringContaining('nftables') });
    const noHandle = JSON.stringify({ nftables: [{ rule: { family: 'inet', table: 'filter', chain: 'input', expr: [] } }] });
    expect(judgeNftables(noHandle, udp)).toMatchObject({ verdict: 'unknown', reason: expect.stringContaining('object 0 (rule): handle') });
    const family = JSON.stringify({ nftables: [{ chain: { family: 'ipx', table: 't', name: 'c', handle: 1 } }] });
    expect(judgeNftables(family, udp).reason).toContain('family');
  });

  it('bounds what it reads: size, depth and rule count', () => {
    expect(judgeNftables('x'.repeat(NFT_LIMITS.bytes + 1), udp).reason).toContain('larger than');
    let deep: unknown = 51820;
    for (let i = 0; i < NFT_LIMITS.depth + 2; i += 1) deep = { set: [deep] };
    expect(judgeNftables(inputChain([{ match: { op: '==', left: 1, right: deep } }, { accept: null }]), udp).reason).toContain('deeper');
    const many = Array.from({ length: NFT_LIMITS.rules + 1 }, () => [{ accept: null }]);
    expect(judgeNftables(inputChain(...many), udp).reason).toContain('more than');
  });

  it('says unknown with the rule quoted where a statement sends the packet elsewhere, or a jump has no chain', () => {
    expect(judgeNftables(inputChain([udpPort, { queue: { num: 1 } }]), udp)).toMatchObject({
      verdict: 'unknown',
      reason: 'the rule uses queue sends the packet elsewhere: "table inet filter chain input: udp dport 51820 {"queue":{"num":1}} # handle 10"',
    });
    expect(judgeNftables(inputChain([{ jump: { target: 'gone' } }]), udp).reason).toContain('jump to a chain not in the ruleset: gone');
    expect(judgeNftables(inputChain([udpPort, { accept: null }]), udp).verdict).toBe('allow');
    expect(judgeNftables(inputChain([udpPort, { accept: null }]), tcp).rule).toBe(
      'table inet filter chain input: policy drop (no rule accepts tcp dport 50000)',
    );
  });

  it('skips the chains of a table whose flags say dormant, and judges those of a table with other flags', () => {
    const withFlags = (flags: unknown) => {
      const rs = JSON.parse(inputChain([udpPort, { drop: null }])) as { nftables: Array<Record<string, { flags?: unknown }>> };
      (rs.nftables[0]?.table as { flags?: unknown }).flags = flags;
      return JSON.stringify(rs);
    };
    expect(judgeNftables(withFlags(['dormant']), udp).verdict).toBe('allow');
    expect(judgeNftables(withFlags(['owner']), udp).rule).toBe('table inet filter chain input: udp dport 51820 drop # handle 10');
    expect(judgeNftables(withFlags('filter'), udp).reason).toContain('may be dormant');
  });

  it('treats an empty ruleset as no firewall, and finds Docker and inbound filtering', () => {
    expect(judgeNftables('', udp)).toMatchObject({ verdict: 'allow' });
    expect(nftFiltersInbound(corpusJson('debian-default'))).toBe(true);
    expect(nftFiltersInbound('')).toBe(false);
    expect(nftHasDocker(corpusJson('docker'))).toBe(true);
    expect(nftHasDocker(corpusJson('kube-proxy'))).toBe(false);
  });
});

/** `iptables-nft -P INPUT DROP; -A INPUT -p udp -m multiport --dports 51820,51821 -j ACCEPT` as nft -j lists it. */
const iptablesNft = JSON.stringify({
  nftables: [
    { table: { family: 'ip', name: 'filter', handle: 1 } },
    { chain: { family: 'ip', table: 'filter', name: 'INPUT', handle: 1, type: 'filter', hook: 'input', prio: 0, policy: 'drop' } },
    {
      rule: {
        family: 'ip',
        table: 'filter',
        chain: 'INPUT',
        handle: 2,
        expr: [
          { match: { op: '==', left: { meta: { key: 'l4proto' } }, right: 'udp' } },
          { xt: { type: 'match', name: 'multiport' } },
          { counter: { packets: 0, bytes: 0 } },
          { accept: null },
        ],
      },
    },
  ],
});

describe('tables iptables-nft or firewalld made', () => {
  it('are unknown where an iptables match decides, and left to iptables-save or firewalld when those are read too', () => {
    expect(judgeNftables(iptablesNft, udp)).toMatchObject({ verdict: 'unknown', reason: expect.stringContaining('an iptables match (multiport)') });
    expect(judgeNftables(iptablesNft, tcp).verdict).toBe('block');
    expect(judgeNftables(iptablesNft, udp, { skipIptablesTables: true }).verdict).toBe('allow');
    const firewalld = inputChain([udpPort, { drop: null }]).replaceAll('"filter"', '"firewalld"');
    expect(judgeNftables(firewalld, udp).verdict).toBe('block');
    expect(judgeNftables(firewalld, udp, { skipFirewalldTables: true }).verdict).toBe('allow');
    const both = inspectFirewall({ nft: iptablesNft, iptablesVersion: 'iptables v1.8.9 (nf_tables)\n', iptablesSave: '' });
    expect(both.udp51820.reason ?? '').not.toContain('nftables');
  });
});

describe('inspectFirewall over nft -j', () => {
  it('names nftables, the blocking rule with its location, and leaves TCP 50000 open', () => {
    const ev = inspectFirewall({ nft: labHostRuleset('udp dport 51820 drop'), iptablesSave: '' });
    expect(ev.kind).toBe('nftables');
    expect(ev.udp51820).toMatchObject({
      verdict: 'block',
      firewall: 'nftables',
      rule: 'table inet filter chain input: udp dport 51820 drop # handle 6',
      anchors: ['inet filter input'],
      location: { family: 'inet', table: 'filter', chain: 'input', handle: 6, baseChain: 'input' },
    });
    expect(ev.tcp50000).toMatchObject({ verdict: 'allow' });
    expect(ev.docker).toBe(false);
  });

  it('carries the reason of an unknown, and sees no firewall on a host without rules', () => {
    const ev = inspectFirewall({ nft: corpusJson('source-limited') });
    expect(ev.udp51820).toMatchObject({ verdict: 'unknown', reason: expect.stringMatching(/^nftables: the rule depends on ip saddr/) });
    expect(inspectFirewall({ nft: '' })).toMatchObject({ kind: null, udp51820: { verdict: 'allow' } });
  });
});

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canGenerate, rulesetDir } from '../../../../test/support/rulesets/iptables/generate.js';
import { parseHostReport } from '../gather/host-report.js';
import { firewalldReportLines } from './firewalld-report.js';
import { inspectFirewall } from './inspect.js';
import { iptablesReportLines } from './ipt-report.js';
import { judgeIptablesHost } from './iptables.js';

const ns = `swfw-report-${process.pid}-${randomBytes(3).toString('hex')}`;
const inNs = (args: string[], input?: string) => execFileSync('ip', ['netns', 'exec', ns, ...args], { encoding: 'utf8', ...(input ? { input } : {}) });
const corpus = (file: string) => readFileSync(join(rulesetDir, file), 'utf8');

const ownAddressOnly = `*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -d 192.0.2.10/32 -p udp -m udp --dport 51820 -j ACCEPT
COMMIT
`;

/** The report's firewall lines run for real in a namespace that holds rules of both iptables backends and of ip6tables. */
describe.runIf(canGenerate())('the host report on a host with both iptables backends', () => {
  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', ns]);
    inNs(['ip', 'link', 'add', 'uplink0', 'type', 'veth', 'peer', 'name', 'uplink1']);
    inNs(['ip', 'addr', 'add', '192.0.2.10/24', 'dev', 'uplink0']);
    inNs(['ip', 'link', 'set', 'uplink0', 'up']);
    inNs(['ip', 'route', 'add', 'default', 'via', '192.0.2.1', 'dev', 'uplink0']);
    inNs(['iptables-nft-restore'], ownAddressOnly);
    inNs(['iptables-legacy-restore'], corpus('nft-and-legacy.legacy.rules'));
    inNs(['ip6tables-nft-restore'], corpus('ip6-only-blocking.rules6'));
  });
  afterAll(() => execFileSync('ip', ['netns', 'del', ns]));

  const report = () =>
    parseHostReport(
      inNs(['sh', '-c', ['export LC_ALL=C PATH=/usr/sbin:/sbin:/usr/bin:/bin:$PATH', ...iptablesReportLines, ...firewalldReportLines].join('\n')]),
    ).firewall;

  it('reads the backend, both families, the legacy rules, the default link and its address', () => {
    const out = report();
    expect(out.iptablesVersion).toContain('(nf_tables)');
    expect(out.iptablesSave).toContain('-A INPUT -d 192.0.2.10/32 -p udp -m udp --dport 51820 -j ACCEPT');
    expect(out.iptablesOtherSave).toContain('--dport 51820 -j REJECT');
    expect(out.ip6tablesSave).toContain('icmp6-adm-prohibited');
    expect(out.links).toContain('dev uplink0');
    expect(out.addresses).toContain('inet 192.0.2.10/24');
    expect(out.firewalldState).toBeUndefined();
  });

  it('judges what it read: the legacy reject blocks, the accept for this host address holds, IPv6 rejects', () => {
    const out = report();
    expect(inspectFirewall(out).udp51820).toMatchObject({
      verdict: 'block',
      firewall: 'iptables',
      rule: '-A INPUT -p udp -m udp --dport 51820 -j REJECT --reject-with icmp-port-unreachable',
      iptables: { backend: 'legacy', table: 'filter', baseChain: 'INPUT' },
    });
    const { iptablesOtherSave: _legacy, ...nftOnly } = out;
    expect(judgeIptablesHost(nftOnly, { protocol: 'udp', port: 51820 }).verdict).toBe('allow');
    const { addresses: _addrs, ...noAddresses } = nftOnly;
    expect(judgeIptablesHost(noAddresses, { protocol: 'udp', port: 51820 })).toMatchObject({
      verdict: 'unknown',
      rule: '-A INPUT -d 192.0.2.10/32 -p udp -m udp --dport 51820 -j ACCEPT',
    });
    expect(judgeIptablesHost(out, { protocol: 'udp', port: 51820, family: 'ipv6' })).toMatchObject({
      verdict: 'block',
      rule: '-A INPUT -p udp -m udp --dport 51820 -j REJECT --reject-with icmp6-adm-prohibited',
      iptables: { command: 'ip6tables', backend: 'nf_tables' },
    });
  });
});

describe.runIf(canGenerate())('rules written with nft itself, seen through iptables-nft', () => {
  const own = `swfw-native-${process.pid}-${randomBytes(3).toString('hex')}`;
  const run = (args: string[], input?: string) => execFileSync('ip', ['netns', 'exec', own, ...args], { encoding: 'utf8', ...(input ? { input } : {}) });
  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', own]);
    run(['nft', '-f', '-'], 'table ip filter {\n chain INPUT {\n  type filter hook input priority 0; policy accept;\n  udp dport { 53, 123 } drop\n }\n}\n');
  });
  afterAll(() => execFileSync('ip', ['netns', 'del', own]));

  it('is not called blocked when iptables-save drops the set match and nft shows the packet passing', () => {
    const iptablesSave = run(['iptables-nft-save']);
    expect(iptablesSave).toContain('-A INPUT -p udp -j DROP');
    const q = { protocol: 'udp', port: 51820 } as const;
    expect(judgeIptablesHost({ iptablesSave }, q).verdict).toBe('block');
    const v = judgeIptablesHost({ iptablesSave, iptablesVersion: 'iptables v1.8.9 (nf_tables)', nft: run(['nft', '-j', 'list', 'ruleset']) }, q);
    expect(v).toMatchObject({ verdict: 'unknown', rule: '-A INPUT -p udp -j DROP' });
    expect(v.reason).toContain('nft lists the same kernel rules as letting the packet through');
  });
});

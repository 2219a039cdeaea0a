import { describe, expect, it } from 'vitest';
import { diagnose, reachability } from '../diagnose.js';
import { dualStackEvidence } from '../../../../test/support/diagnosis-fixtures/egress-ipv6.js';
import { allOpenEvidence } from '../../../../test/support/diagnosis-fixtures/lab-scenarios.js';

describe('IPv6 underlay: a block on IPv6 only', () => {
  it('finds UDP 51820 into cloud3 blocked over IPv6 only, and nothing else', () => {
    const findings = diagnose(dualStackEvidence());
    expect(findings.filter((f) => f.severity !== 'info').map((f) => f.id)).toEqual(['IPV6_ONLY_BLOCKED:cloud3']);
    const f = findings[0];
    expect(f).toMatchObject({ port: 51820, protocol: 'udp', nodes: ['cloud3'], severity: 'warning' });
    expect(f?.evidence[0]).toBe('UDP 51820 from cloud1, cloud2 arrives at cloud3 over IPv4 but never over IPv6');
    expect(f?.remediation.summary).toContain('ip6tables -I INPUT -p udp --dport 51820 -j ACCEPT');
  });

  it('fills both matrices per family', () => {
    const m = reachability(dualStackEvidence());
    expect(m.udp51820.cloud1?.cloud3).toBe('open');
    expect(m.ipv6?.udp51820.cloud1?.cloud3).toBe('blocked');
    expect(m.ipv6?.udp51820.cloud3?.cloud1).toBe('open');
    expect(m.ipv6?.tcp50000.cloud2?.cloud3).toBe('open');
    expect(reachability(allOpenEvidence()).ipv6).toBeUndefined();
  });

  it('says nothing when IPv4 is blocked too (the IPv4 rules speak), or when the sender reaches no one over IPv6', () => {
    const both = dualStackEvidence();
    for (const p of both.pairs) if (p.to === 'cloud3') p.udp51820 = 'blocked';
    expect(diagnose(both).map((f) => f.code)).not.toContain('IPV6_ONLY_BLOCKED');
    const lonely = dualStackEvidence();
    for (const p of lonely.pairs) p.ipv6 = p.from === 'cloud1' && p.to === 'cloud3' ? { udp51820: 'blocked', tcp50000: 'open' } : null;
    expect(diagnose(lonely).map((f) => f.code)).not.toContain('IPV6_ONLY_BLOCKED');
  });
});

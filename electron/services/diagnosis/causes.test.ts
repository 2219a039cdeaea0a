import { describe, expect, it } from 'vitest';
import { hybridEvidence } from '../../../test/support/diagnosis-fixtures/lab-scenarios.js';
import { report } from './diagnose.js';

describe('findings by root cause (hybrid)', () => {
  const { findings, causes } = report(hybridEvidence('up'), 1);
  const dc1 = causes.find((c) => c.id === 'UDP_51820_INBOUND_BLOCKED:dc1');

  it("fold dc1's pair without an inbound end and its NAT info into the one cause they share: dc1's gateway", () => {
    expect(dc1?.findings).toEqual(['UDP_51820_INBOUND_BLOCKED:dc1', 'PAIR_NO_INBOUND_END:dc1:edge1', 'BEHIND_NAT:dc1']);
    expect(dc1).toMatchObject({
      severity: 'warning',
      title: 'dc1 does not accept UDP 51820 inbound (blocked upstream of the host)',
      impact: "dc1's pairs stay up only while dc1 dials out; they break when a NAT or firewall mapping expires.",
    });
    expect(dc1?.pairs).toContainEqual({ from: 'dc1', to: 'edge1' });
    expect(dc1?.pairs).toContainEqual({ from: 'cloud1', to: 'dc1' });
    expect(causes.filter((c) => c.findings.some((id) => id.startsWith('BEHIND_NAT:edge1')))).toHaveLength(1);
    expect(causes.flatMap((c) => c.findings).sort()).toEqual(findings.map((f) => f.id).sort());
  });

  it('say nothing twice: each evidence sentence once, and the change request once per cause', () => {
    for (const c of causes) expect(new Set(c.evidence).size).toBe(c.evidence.length);
    for (const f of findings) expect(new Set(f.evidence).size).toBe(f.evidence.length);
    const requests = causes.map((c) => c.remediation.changeRequest).filter(Boolean);
    expect(new Set(requests).size).toBe(requests.length);
    expect(findings.flatMap((f) => f.evidence).filter((e) => /seen as (\S+) and \1\b/.test(e))).toEqual([]);
  });

  it("give the gateway's forward as nftables and iptables snippets built from dc1's addresses", () => {
    const snippets = Object.fromEntries((dc1?.remediation.snippets ?? []).map((s) => [s.tool, s.text]));
    expect(Object.keys(snippets)).toEqual(['nftables', 'iptables']);
    expect(snippets.nftables).toContain('udp dport 51820 dnat to 198.19.2.10:51820');
    expect(snippets.iptables).toContain('-d 198.18.2.1 -p udp --dport 51820 -j DNAT --to-destination 198.19.2.10:51820');
  });
});

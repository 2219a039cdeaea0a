import { describe, expect, it } from 'vitest';
import { diagnose, reachability } from '../diagnose.js';
import type { Evidence } from '../evidence.js';
import { egressEvidence } from '../../../../test/support/diagnosis-fixtures/egress-ipv6.js';
import { allOpenEvidence, hardNatEvidence, hostFirewallEvidence, hybridEvidence } from '../../../../test/support/diagnosis-fixtures/lab-scenarios.js';

const ids = (e: Evidence) => diagnose(e).map((f) => f.id);

describe('egress: outbound UDP 51820 dropped at a datacenter gateway', () => {
  const findings = diagnose(egressEvidence());

  it('finds it upstream of dc1, with the peers others reach and a change request for the gateway', () => {
    const egress = findings.find((f) => f.id === 'UDP_51820_OUTBOUND_BLOCKED:dc1');
    expect(egress).toMatchObject({ severity: 'warning', where: 'upstream', port: 51820, protocol: 'udp', nodes: ['dc1'] });
    const text = egress?.evidence.join('\n') ?? '';
    expect(text).toContain(
      'UDP 51820 sent by dc1 never arrived at cloud1, cloud2, though other nodes reach them: cloud1 (from cloud2, edge1); cloud2 (from cloud1, edge1)',
    );
    expect(text).toContain('UDP 51820 from cloud1, cloud2, edge1 into dc1 does arrive');
    expect(text).toContain('the gateway in front of it (198.18.2.1)');
    expect(egress?.remediation.hostFixes).toEqual([]);
    expect(egress?.remediation.changeRequest).toContain(
      "allow outbound UDP 51820 from dc1 (seen as 198.18.2.1) to the cluster's nodes (198.18.1.10, 198.18.1.11)",
    );
    expect(egress?.remediation.changeRequest).toContain("datacenter gateway's egress policy");
  });

  it('says nothing false: no inbound block on the peers dc1 cannot reach, no pair without an inbound end', () => {
    const serious = findings.filter((f) => f.severity !== 'info').map((f) => f.id);
    expect(serious).toEqual(['UDP_51820_OUTBOUND_BLOCKED:dc1']);
    expect(ids(egressEvidence()).filter((id) => id.startsWith('UDP_51820_INBOUND_BLOCKED') || id.startsWith('PAIR_NO_INBOUND_END'))).toEqual([]);
  });

  it('keeps the blocked cells in the matrix', () => {
    const m = reachability(egressEvidence()).udp51820;
    expect([m.dc1?.cloud1, m.dc1?.cloud2, m.cloud1?.dc1]).toEqual(['blocked', 'blocked', 'open']);
  });

  it('makes it an error with the cause on PEER_DOWN when a pair with dc1 is down', () => {
    const e = egressEvidence();
    for (const p of e.pairs)
      if ((p.from === 'dc1' && p.to === 'cloud1') || (p.from === 'cloud1' && p.to === 'dc1'))
        p.peer = { state: 'down', endpoint: null, lastHandshake: null, rx: 0, tx: 1480, reason: null };
    const found = diagnose(e);
    expect(found.find((f) => f.id === 'UDP_51820_OUTBOUND_BLOCKED:dc1')?.severity).toBe('error');
    const down = found.find((f) => f.id === 'PEER_DOWN:cloud1:dc1');
    expect(down?.pair).toEqual({ from: 'dc1', to: 'cloud1' });
    expect(down?.evidence.join('\n')).toContain('cause: UDP 51820 out of dc1 is dropped on the way out');
    expect(down?.remediation.changeRequest).toContain('allow outbound UDP 51820 from dc1');
  });

  it('finds TCP 50000 outbound blocked the same way', () => {
    const e = egressEvidence();
    for (const p of e.pairs) if (p.from === 'dc1' && p.to !== 'edge1') p.tcp50000 = 'blocked';
    const found = diagnose(e);
    expect(found.find((f) => f.id === 'TCP_50000_OUTBOUND_BLOCKED:dc1')).toMatchObject({ severity: 'warning', where: 'upstream', port: 50000 });
    expect(found.filter((f) => f.code === 'TCP_50000_UNREACHABLE').map((f) => f.id)).toEqual(['TCP_50000_UNREACHABLE:edge1']);
  });

  it('quotes a host output rule and fixes it on the host when the firewall judge says the host blocks it', () => {
    const e = egressEvidence();
    const dc1 = e.nodes.find((n) => n.name === 'dc1');
    if (dc1?.firewall)
      dc1.firewall.outbound = {
        udp51820: { verdict: 'block', firewall: 'nftables', rule: 'udp dport 51820 drop', anchors: ['inet filter output'] },
        tcp50000: { verdict: 'allow', firewall: 'nftables', rule: null, anchors: [] },
      };
    const egress = diagnose(e).find((f) => f.id === 'UDP_51820_OUTBOUND_BLOCKED:dc1');
    expect(egress?.where).toBe('host');
    expect(egress?.evidence[0]).toBe("dc1's nftables blocks it outbound: udp dport 51820 drop");
    expect(egress?.remediation.hostFixes[0]).toMatchObject({ node: 'dc1', firewall: 'nftables' });
    expect(egress?.remediation.hostFixes[0]?.apply.join('\n')).toContain('inet filter output');
  });

  it('raises nothing on the lab scenarios without an egress block', () => {
    for (const e of [hybridEvidence('up'), hybridEvidence('down'), hostFirewallEvidence('down'), hardNatEvidence(), allOpenEvidence()])
      expect(ids(e).filter((id) => id.includes('OUTBOUND'))).toEqual([]);
  });

  it('needs two peers: one peer that only others reach may be filtering by source', () => {
    const e = egressEvidence();
    for (const p of e.pairs) if (p.from === 'dc1' && p.to === 'cloud2') p.udp51820 = 'open';
    expect(ids(e).filter((id) => id.includes('OUTBOUND'))).toEqual([]);
  });
});

describe('egress with the mesh link among the addresses', () => {
  it('does not take the shared mesh prefix for one LAN', () => {
    const e = egressEvidence();
    for (const n of e.nodes) {
      n.meshAddress = `fdc0:ffee::${n.name.length}${n.name.charCodeAt(n.name.length - 1).toString(16)}`;
      n.addresses.push(`${n.meshAddress}/64`);
    }
    expect(
      diagnose(e)
        .filter((f) => f.severity !== 'info')
        .map((f) => f.id),
    ).toEqual(['UDP_51820_OUTBOUND_BLOCKED:dc1']);
  });
});

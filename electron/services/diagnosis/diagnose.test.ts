import { describe, expect, it } from 'vitest';
import type { Finding } from '../../contract/diagnosis.js';
import { diagnose, reachability } from './diagnose.js';
import {
  allOpenEvidence,
  blockedApiEvidence,
  hardNatEvidence,
  hostFirewallEvidence,
  hybridEvidence,
} from '../../../test/support/diagnosis-fixtures/lab-scenarios.js';

const byCode = (findings: Finding[], code: Finding['code']) => findings.filter((f) => f.code === code);
const serious = (findings: Finding[]) => findings.filter((f) => f.severity !== 'info');

describe('diagnose: hybrid', () => {
  const up = diagnose(hybridEvidence('up'));

  it('finds UDP 51820 blocked upstream of dc1 (its gateway), and nothing else blocked', () => {
    const [blocked, ...rest] = byCode(up, 'UDP_51820_INBOUND_BLOCKED');
    expect(rest).toEqual([]);
    expect(blocked).toMatchObject({ id: 'UDP_51820_INBOUND_BLOCKED:dc1', nodes: ['dc1'], where: 'upstream', port: 51820, protocol: 'udp' });
    expect(blocked?.evidence.join('\n')).toContain('the gateway in front of it');
    expect(blocked?.remediation.hostFixes).toEqual([]);
    expect(blocked?.remediation.changeRequest).toContain('forward UDP 51820 arriving on its public side to 198.19.2.10:51820');
  });

  it('finds the edge and datacenter hosts behind NAT', () => {
    expect(
      byCode(up, 'BEHIND_NAT')
        .map((f) => f.nodes[0])
        .sort(),
    ).toEqual(['dc1', 'edge1']);
    expect(byCode(up, 'BEHIND_NAT').every((f) => f.evidence.some((e) => e.includes('port-preserving NAT')))).toBe(true);
  });

  it('finds the edge/datacenter pair without an inbound end: a warning while up by hole punching, fixed on the datacenter gateway', () => {
    const [pair, ...rest] = byCode(up, 'PAIR_NO_INBOUND_END');
    expect(rest).toEqual([]);
    expect(pair).toMatchObject({ nodes: ['dc1', 'edge1'], pair: { from: 'dc1', to: 'edge1' }, severity: 'warning', where: 'upstream' });
    expect(pair?.evidence.join('\n')).toContain('hole punching');
    expect(pair?.remediation.changeRequest).toContain('gateway in front of dc1 (public address 198.18.2.1)');
    expect(pair?.remediation.summary).toContain('opening dc1 gives every pair an inbound end');
  });

  it('makes the pair an error, with PEER_DOWN, when it is down', () => {
    const down = diagnose(hybridEvidence('down'));
    expect(byCode(down, 'PAIR_NO_INBOUND_END')[0]?.severity).toBe('error');
    const [peerDown] = byCode(down, 'PEER_DOWN');
    expect(peerDown).toMatchObject({ nodes: ['dc1', 'edge1'], severity: 'error' });
    expect(peerDown?.evidence.join('\n')).toContain('dc1 -> edge1 is dropped');
  });

  it('reads the API of the NATed edge host through SSH (info only) and flags no MTU at 1492', () => {
    expect(byCode(up, 'TCP_50000_UNREACHABLE').map((f) => [f.nodes[0], f.severity])).toEqual([['edge1', 'info']]);
    expect(byCode(up, 'MTU_TOO_LARGE')).toEqual([]);
  });

  it('fills the reachability matrix', () => {
    const m = reachability(hybridEvidence('up'));
    expect(m.udp51820.cloud1?.dc1).toBe('blocked');
    expect(m.udp51820.dc1?.cloud1).toBe('open');
    expect(m.tcp50000.desktop).toEqual({ cloud1: 'open', cloud2: 'open', dc1: 'open', edge1: 'blocked' });
  });
});

describe('diagnose: host-firewall', () => {
  const findings = diagnose(hostFirewallEvidence('up'));

  it("quotes cloud2's nftables rule and gives nftables commands", () => {
    const [blocked] = byCode(findings, 'UDP_51820_INBOUND_BLOCKED');
    expect(blocked).toMatchObject({ nodes: ['cloud2'], where: 'host' });
    expect(blocked?.evidence.join('\n')).toContain('table inet filter chain input: udp dport 51820 drop # handle 6');
    expect(blocked?.remediation.hostFixes[0]).toMatchObject({
      node: 'cloud2',
      firewall: 'nftables',
      rule: { id: 'udp-51820', protocol: 'udp', port: 51820, anchors: ['inet filter input'] },
    });
  });

  it('finds the cloud2/edge1 pair without an inbound end and opens cloud2, not the edge host', () => {
    const [pair] = byCode(findings, 'PAIR_NO_INBOUND_END');
    expect(pair).toMatchObject({ nodes: ['cloud2', 'edge1'], where: 'host', severity: 'warning' });
    expect(pair?.remediation.hostFixes.map((f) => f.node)).toEqual(['cloud2']);
    expect(byCode(diagnose(hostFirewallEvidence('down')), 'PAIR_NO_INBOUND_END')[0]?.severity).toBe('error');
  });
});

describe('diagnose: hard-nat', () => {
  const findings = diagnose(hardNatEvidence());

  it('reports the edge hosts down to each other as errors, naming the port-randomising NAT on both ends', () => {
    const [down] = byCode(findings, 'PEER_DOWN');
    const [pair] = byCode(findings, 'PAIR_NO_INBOUND_END');
    expect(down).toMatchObject({ nodes: ['edge1', 'edge2'], severity: 'error' });
    expect(pair).toMatchObject({ nodes: ['edge1', 'edge2'], severity: 'error' });
    for (const f of [down, pair]) {
      const text = f?.evidence.join('\n') ?? '';
      expect(text).toContain('edge1 is behind a port-randomising NAT');
      expect(text).toContain('edge2 is behind a port-randomising NAT');
      expect(text).toContain('hole punching cannot work');
    }
    expect(byCode(findings, 'PEER_DOWN')).toHaveLength(1);
  });

  it('warns that both edge hosts are behind port-randomising NATs', () => {
    expect(byCode(findings, 'BEHIND_NAT').map((f) => [f.nodes[0], f.severity])).toEqual([
      ['edge1', 'warning'],
      ['edge2', 'warning'],
    ]);
  });
});

describe('diagnose: blocked-api', () => {
  it("finds TCP 50000 blocked by cloud3's own rule while status reads it through SSH", () => {
    const findings = diagnose(blockedApiEvidence());
    const [api, ...rest] = byCode(findings, 'TCP_50000_UNREACHABLE');
    expect(rest).toEqual([]);
    expect(api).toMatchObject({ nodes: ['cloud3'], where: 'host', severity: 'warning', port: 50000, protocol: 'tcp' });
    expect(api?.evidence.join('\n')).toContain('tcp dport 50000 drop # handle 6');
    expect(api?.evidence.join('\n')).toContain('through an SSH tunnel');
    expect(api?.remediation.hostFixes[0]?.apply[0]).toBe(`nft -e -a insert rule inet filter input 'tcp dport 50000 accept comment "spanwise:tcp-50000"'`);
    expect(serious(findings).map((f) => f.code)).toEqual(['TCP_50000_UNREACHABLE']);
  });
});

describe('diagnose: all-open', () => {
  it('finds nothing of severity warning or error', () => {
    expect(serious(diagnose(allOpenEvidence()))).toEqual([]);
  });
});

describe('diagnose: other codes', () => {
  it('flags link-local endpoints, an unreachable discovery service and a path MTU below the mesh MTU', () => {
    const ev = allOpenEvidence();
    const [c1, c2] = ev.nodes;
    if (!c1 || !c2) throw new Error('fixture');
    c1.endpoints.push('169.254.3.7:51820');
    c2.discovery = { target: 'disc.example:3000', reachable: false, error: 'timeout' };
    const pair = ev.pairs.find((p) => p.from === 'cloud3' && p.to === 'cloud1');
    if (pair) pair.pathMtu = 1400;
    const findings = diagnose(ev);
    expect(byCode(findings, 'LINK_LOCAL_NODE_ADDRESS')).toMatchObject([{ nodes: ['cloud1'], severity: 'warning' }]);
    expect(byCode(findings, 'DISCOVERY_UNREACHABLE')).toMatchObject([{ nodes: ['cloud2'], severity: 'error', port: 3000 }]);
    const [mtu] = byCode(findings, 'MTU_TOO_LARGE');
    expect(mtu).toMatchObject({ pair: { from: 'cloud3', to: 'cloud1' } });
    expect(mtu?.remediation.summary).toContain('1340');
    expect(findings[0]?.severity).toBe('error');
  });
});

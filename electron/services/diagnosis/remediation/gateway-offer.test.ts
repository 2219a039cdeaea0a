import { describe, expect, it } from 'vitest';
import { hybridEvidence } from '../../../../test/support/diagnosis-fixtures/lab-scenarios.js';
import { report } from '../diagnose.js';
import { offerGatewayFixes, type OfferMachine } from './gateway-offer.js';

const hybrid = report(hybridEvidence('up'), 1);
const machine = (name: string, host: string, jump: string[] = []): OfferMachine => ({
  name,
  ssh: { user: 'root', host, port: 22 },
  jump: jump.map((h) => ({ user: 'root', host: h, port: 22 })),
});
const fleet = (dc1Jump: string[]) => [
  machine('cloud1', '198.18.1.10'),
  machine('dc1', '198.19.2.10', dc1Jump),
  machine('edge1', '198.20.3.10', ['198.18.3.1']),
];
const fixesOf = (r: ReturnType<typeof offerGatewayFixes>, id: string) => r.findings.find((f) => f.id === id)?.remediation;

describe('offerGatewayFixes', () => {
  it("offers the forward on dc1's gateway where the gateway's public address is dc1's jump host", () => {
    const offered = offerGatewayFixes(hybrid, fleet(['198.18.2.1']));
    for (const id of ['UDP_51820_INBOUND_BLOCKED:dc1', 'PAIR_NO_INBOUND_END:dc1:edge1']) {
      const remediation = fixesOf(offered, id);
      expect(remediation?.hostFixes).toHaveLength(1);
      expect(remediation?.hostFixes[0]).toMatchObject({
        node: 'dc1',
        target: { kind: 'gateway', label: 'gateway 198.18.2.1 via jump host', jump: 0, host: '198.18.2.1' },
        forward: { node: 'dc1', protocol: 'udp', port: 51820, publicAddress: '198.18.2.1', nodeAddress: '198.19.2.10' },
      });
      expect(remediation?.summary).toContain('(the gateway 198.18.2.1 via jump host: Spanwise applies it there with a preview and automatic revert');
      expect(remediation?.changeRequest).toContain('gateway in front of dc1 (public address 198.18.2.1)');
    }
    const cause = offered.causes.find((c) => c.id === 'UDP_51820_INBOUND_BLOCKED:dc1' || c.findings.includes('UDP_51820_INBOUND_BLOCKED:dc1'));
    expect(cause?.remediation.hostFixes[0]?.target?.label).toBe('gateway 198.18.2.1 via jump host');
  });

  it('names the gateway by the machine the inventory has at its address, and finds it among several jump hosts', () => {
    const machines = [...fleet(['203.0.113.9', '198.18.2.1']), machine('dc-gw', '198.18.2.1')];
    const fix = fixesOf(offerGatewayFixes(hybrid, machines), 'UDP_51820_INBOUND_BLOCKED:dc1')?.hostFixes[0];
    expect(fix?.target).toEqual({ kind: 'gateway', label: 'gateway dc-gw via jump host', jump: 1, host: '198.18.2.1' });
    expect(fix?.apply[2]).toBe(
      `nft add rule ip spanwise-gw prerouting ip daddr 198.18.2.1 udp dport 51820 dnat to 198.19.2.10:51820 comment '"spanwise:gw-udp-51820"'`,
    );
    expect(fix?.revert[0]).toBe('nft delete table ip spanwise-gw');
  });

  it("offers it where the jump host is at an address on the node's side, not elsewhere", () => {
    const withLinks = (jump: string) => fleet([jump]).map((m) => (m.name === 'dc1' ? { ...m, links: ['198.19.2.10/24', '127.0.0.1/8'] } : m));
    const lan = fixesOf(offerGatewayFixes(hybrid, withLinks('198.19.2.1')), 'UDP_51820_INBOUND_BLOCKED:dc1')?.hostFixes[0];
    expect(lan?.target).toEqual({ kind: 'gateway', label: 'gateway 198.19.2.1 via jump host', jump: 0, host: '198.19.2.1' });
    for (const other of ['10.0.0.5', '127.0.0.1', '198.19.2.10', 'bastion.example']) {
      expect(fixesOf(offerGatewayFixes(hybrid, withLinks(other)), 'UDP_51820_INBOUND_BLOCKED:dc1')?.hostFixes).toEqual([]);
    }
  });

  it('offers nothing where no jump host of the node is its gateway, or the node has none', () => {
    for (const jump of [[], ['198.18.3.1'], ['198.18.2.10']]) {
      const dc1 = (r: typeof hybrid) => r.findings.filter((f) => f.nodes.includes('dc1'));
      const offered = offerGatewayFixes(hybrid, fleet(jump));
      expect(dc1(offered).flatMap((f) => f.remediation.hostFixes)).toEqual([]);
      expect(dc1(offered)).toEqual(dc1(hybrid));
    }
  });
});

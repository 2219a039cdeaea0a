import { describe, expect, it } from 'vitest';
import { hostFixFor } from './host-fixes.js';

const udp = { protocol: 'udp', port: 51820 } as const;

describe('hostFixFor', () => {
  it('writes apply and revert commands for each firewall', () => {
    expect(hostFixFor('n', { verdict: 'block', firewall: 'iptables', rule: 'x', anchors: ['INPUT'] }, udp)).toEqual({
      node: 'n',
      firewall: 'iptables',
      apply: ['iptables -I INPUT 1 -p udp --dport 51820 -m comment --comment spanwise-udp-51820 -j ACCEPT'],
      revert: ['iptables -D INPUT -p udp --dport 51820 -m comment --comment spanwise-udp-51820 -j ACCEPT'],
    });
    expect(hostFixFor('n', { verdict: 'block', firewall: 'ufw', rule: 'x', anchors: [], hasRules: false }, udp)?.apply).toEqual([
      'ufw allow 51820/udp comment spanwise-udp-51820',
    ]);
    expect(hostFixFor('n', { verdict: 'block', firewall: 'ufw', rule: 'x', anchors: [], hasRules: true }, udp)?.apply).toEqual([
      'ufw insert 1 allow 51820/udp comment spanwise-udp-51820',
    ]);
    const fwd = hostFixFor(
      'n',
      { verdict: 'block', firewall: 'firewalld', rule: 'firewalld zone public: rule family="ipv4" port port="51820" protocol="udp" drop', anchors: ['public'] },
      udp,
    );
    expect(fwd?.apply).toContain(`firewall-cmd --zone=public --remove-rich-rule='rule family="ipv4" port port="51820" protocol="udp" drop'`);
    expect(fwd?.apply).toContain('firewall-cmd --permanent --zone=public --add-port=51820/udp');
    expect(fwd?.revert[0]).toBe('firewall-cmd --permanent --zone=public --remove-port=51820/udp');
    const nft = hostFixFor('n', { verdict: 'block', firewall: 'nftables', rule: 'x', anchors: ['inet filter input'] }, udp);
    expect(nft?.revert).toEqual([
      `nft -a list chain inet filter input | sed -n 's/.*comment "spanwise-udp-51820".*# handle \\([0-9]*\\)$/\\1/p' | xargs -r -n1 nft delete rule inet filter input handle`,
    ]);
  });
  it('puts no name from the host into a command unless it is a plain identifier', () => {
    for (const anchor of ['inet x$(reboot) input', 'inet filter input;reboot', 'inet "a b" input', 'evil filter input', 'inet filter']) {
      expect(hostFixFor('n', { verdict: 'block', firewall: 'nftables', rule: 'x', anchors: [anchor] }, udp)).toBeNull();
    }
    expect(hostFixFor('n', { verdict: 'block', firewall: 'firewalld', rule: 'x', anchors: ['public;reboot'] }, udp)).toBeNull();
    expect(hostFixFor('n', { verdict: 'block', firewall: 'nftables', rule: 'x', anchors: ['ip kube-proxy.v2 filter_INPUT'] }, udp)?.apply).toHaveLength(1);
  });
  it('has nothing to run when the host allows the port', () => {
    expect(hostFixFor('n', { verdict: 'allow', firewall: 'nftables', rule: null, anchors: [] }, udp)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { hostFixFor } from './host-fixes.js';

const udp = { protocol: 'udp', port: 51820 } as const;

describe('hostFixFor', () => {
  it('names the fix and its rule, with the commands as a person would run them', () => {
    expect(hostFixFor('n', { verdict: 'block', firewall: 'iptables', rule: 'x', anchors: ['INPUT'] }, udp)).toEqual({
      node: 'n',
      firewall: 'iptables',
      apply: [
        'iptables -I INPUT 1 -p udp --dport 51820 -m comment --comment spanwise:udp-51820 -j ACCEPT',
        '# and persisted: the same rule in /etc/iptables/rules.v4 or /etc/sysconfig/iptables',
      ],
      revert: [
        'iptables -D INPUT -p udp --dport 51820 -m comment --comment spanwise:udp-51820 -j ACCEPT',
        "# and the rule's line out of /etc/iptables/rules.v4 or /etc/sysconfig/iptables",
      ],
      rule: { id: 'udp-51820', protocol: 'udp', port: 51820, anchors: ['INPUT'] },
    });
    expect(hostFixFor('n', { verdict: 'block', firewall: 'ufw', rule: 'x', anchors: [], hasRules: false }, udp)?.apply).toEqual([
      "ufw allow 51820/udp comment 'spanwise:udp-51820'",
    ]);
    expect(hostFixFor('n', { verdict: 'block', firewall: 'ufw', rule: 'x', anchors: [], hasRules: true }, udp)?.rule?.insertFirst).toBe(true);
    const fwd = hostFixFor(
      'n',
      { verdict: 'block', firewall: 'firewalld', rule: 'firewalld zone public: rule family="ipv4" port port="51820" protocol="udp" drop', anchors: ['public'] },
      udp,
    );
    expect(fwd?.rule?.removesRichRule).toBe('rule family="ipv4" port port="51820" protocol="udp" drop');
    expect(fwd?.apply).toContain(`firewall-cmd --zone=public --remove-rich-rule='rule family="ipv4" port port="51820" protocol="udp" drop'`);
    expect(fwd?.apply).toContain('firewall-cmd --permanent --zone=public --add-port=51820/udp');
    const nft = hostFixFor('n', { verdict: 'block', firewall: 'nftables', rule: 'x', anchors: ['inet filter input'] }, udp);
    expect(nft?.apply[0]).toBe(`nft -e -a insert rule inet filter input 'udp dport 51820 accept comment "spanwise:udp-51820"'`);
    expect(nft?.revert[0]).toBe('nft delete rule inet filter input handle <the handle the insert echoed>');
  });
  it('puts no name from the host into a command unless it is a plain identifier', () => {
    for (const anchor of ['inet x$(reboot) input', 'inet filter input;reboot', 'inet "a b" input', 'evil filter input', 'inet filter']) {
      expect(hostFixFor('n', { verdict: 'block', firewall: 'nftables', rule: 'x', anchors: [anchor] }, udp)).toBeNull();
    }
    expect(hostFixFor('n', { verdict: 'block', firewall: 'firewalld', rule: 'x', anchors: ['public;reboot'] }, udp)).toBeNull();
    expect(hostFixFor('n', { verdict: 'block', firewall: 'iptables', rule: 'x', anchors: ['INPUT;reboot'] }, udp)).toBeNull();
    expect(hostFixFor('n', { verdict: 'block', firewall: 'nftables', rule: 'x', anchors: ['ip kube-proxy.v2 filter_INPUT'] }, udp)?.apply).toHaveLength(2);
  });
  it('has nothing to run when the host allows the port', () => {
    expect(hostFixFor('n', { verdict: 'allow', firewall: 'nftables', rule: null, anchors: [] }, udp)).toBeNull();
  });
});

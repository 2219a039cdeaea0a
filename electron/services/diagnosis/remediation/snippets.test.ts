import { describe, expect, it } from 'vitest';
import { upstreamSnippets, type UpstreamChange } from './snippets.js';

const base: UpstreamChange = {
  node: 'dc1',
  site: 'datacenter',
  protocol: 'udp',
  port: 51820,
  kind: 'forward',
  address: '198.19.2.10',
  publicAddress: '198.18.2.1',
  peers: [],
};
const text = (change: UpstreamChange) => Object.fromEntries(upstreamSnippets(change).map((s) => [s.tool, s.text]));

describe('upstream snippets', () => {
  it('write a NAT gateway forward as nftables and iptables commands from the port, protocol and addresses', () => {
    expect(text(base)).toEqual({
      nftables: [
        'nft add rule ip nat prerouting ip daddr 198.18.2.1 udp dport 51820 dnat to 198.19.2.10:51820',
        'nft add rule inet filter forward ip daddr 198.19.2.10 udp dport 51820 accept',
      ].join('\n'),
      iptables: [
        'iptables -t nat -A PREROUTING -d 198.18.2.1 -p udp --dport 51820 -j DNAT --to-destination 198.19.2.10:51820',
        'iptables -A FORWARD -d 198.19.2.10 -p udp --dport 51820 -j ACCEPT',
      ].join('\n'),
    });
  });

  it('write an allow in a site firewall from the sources, over IPv4 and IPv6', () => {
    const t = text({ ...base, kind: 'allow', protocol: 'tcp', port: 50000, peers: ['198.18.1.10', '2001:db8::1'] });
    expect(t.nftables).toBe(
      [
        'nft add rule inet filter forward ip saddr { 198.18.1.10 } ip daddr 198.19.2.10 tcp dport 50000 accept',
        'nft add rule inet filter forward ip6 saddr { 2001:db8::1 } tcp dport 50000 accept',
      ].join('\n'),
    );
    expect(t.iptables).toBe(
      [
        'iptables -A FORWARD -s 198.18.1.10 -d 198.19.2.10 -p tcp --dport 50000 -j ACCEPT',
        'ip6tables -A FORWARD -s 2001:db8::1 -p tcp --dport 50000 -j ACCEPT',
      ].join('\n'),
    );
  });

  it('write an allow for a cloud node as the AWS, Google Cloud and Azure CLI commands', () => {
    const t = text({ ...base, node: 'cloud2', site: 'cloud', kind: 'allow', address: '198.18.1.11', peers: ['198.18.1.10', '198.18.2.1'] });
    expect(t.aws).toBe(
      "aws ec2 authorize-security-group-ingress --group-id <sg-id> --ip-permissions 'IpProtocol=udp,FromPort=51820,ToPort=51820,IpRanges=[{CidrIp=198.18.1.10/32},{CidrIp=198.18.2.1/32}]'",
    );
    expect(t.gcloud).toBe(
      'gcloud compute firewall-rules create spanwise-udp-51820-cloud2 --network <network> --direction INGRESS --action ALLOW --rules udp:51820 --source-ranges 198.18.1.10/32,198.18.2.1/32 --target-tags <tag>',
    );
    expect(t.az).toBe(
      'az network nsg rule create --resource-group <resource-group> --nsg-name <nsg-name> --name spanwise-udp-51820-cloud2 --priority <priority> --direction Inbound --access Allow --protocol Udp --destination-port-ranges 51820 --source-address-prefixes 198.18.1.10/32 198.18.2.1/32',
    );
    expect(text({ ...base, site: 'cloud', kind: 'allow', peers: [] }).aws).toContain('IpRanges=[{CidrIp=0.0.0.0/0}]');
  });

  it('write an outbound allow with the peers as destinations, for a site firewall and for the cloud CLIs', () => {
    const t = text({ ...base, kind: 'egress', peers: ['198.18.1.10'] });
    expect(t.nftables).toBe('nft add rule inet filter forward ip saddr 198.19.2.10 ip daddr { 198.18.1.10 } udp dport 51820 accept');
    expect(t.iptables).toBe('iptables -A FORWARD -s 198.19.2.10 -d 198.18.1.10 -p udp --dport 51820 -j ACCEPT');
    const cloud = text({ ...base, site: 'cloud', kind: 'egress', peers: ['198.18.1.10'] });
    expect(cloud.aws).toMatch(/^aws ec2 authorize-security-group-egress .*IpRanges=\[\{CidrIp=198\.18\.1\.10\/32\}\]/);
    expect(cloud.gcloud).toContain('--direction EGRESS --action ALLOW --rules udp:51820 --destination-ranges 198.18.1.10/32');
    expect(cloud.az).toContain(
      '--direction Outbound --access Allow --protocol Udp --destination-port-ranges 51820 --destination-address-prefixes 198.18.1.10/32',
    );
  });

  it('put no text an agent reported into a command unless it is an IP address', () => {
    const t = text({ ...base, kind: 'allow', address: '10.0.0.1; rm -rf /', publicAddress: null, peers: ['$(reboot)', '198.18.1.10', '198.18.1.10'] });
    expect(t.nftables).toBe('nft add rule inet filter forward ip saddr { 198.18.1.10 } udp dport 51820 accept');
    expect(text({ ...base, address: 'x`y`', publicAddress: 'nope' }).iptables).toContain('--to-destination <dc1-address>:51820');
    expect(Object.values(t).join('\n')).not.toMatch(/rm -rf|reboot/);
  });
});

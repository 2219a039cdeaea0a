import { formatIp, parseIp } from '../../../../agent/shared/ip.js';
import type { UpstreamSnippet } from '../../../contract/diagnosis.js';
import type { SiteKind } from '../../../contract/machines.js';
import type { PortSpec } from './host-fixes.js';

/** What has to change upstream of a node for a port to pass: a forward on its NAT gateway, an inbound allow, or an outbound allow. */
export interface UpstreamChange extends PortSpec {
  node: string;
  site: SiteKind;
  /** `forward`: the node is behind NAT, its gateway forwards the port; `allow`: the firewall in front lets it in; `egress`: lets it out. */
  kind: 'forward' | 'allow' | 'egress';
  /** The node's own address (what a forward points at, what a rule names). */
  address: string | null;
  /** The address peers dial (the gateway's public side for a node behind NAT). */
  publicAddress: string | null;
  /** The other ends: where inbound traffic comes from, or where outbound goes to; empty means anywhere. */
  peers: string[];
}

/** Only real IP addresses go into a command: agents report these, so anything else is dropped. */
const ip = (text: string | null) => {
  const parsed = text ? parseIp(text) : undefined;
  return parsed ? formatIp(parsed) : null;
};

/** The upstream change as copyable commands: nftables and iptables for a gateway or network firewall, the cloud CLIs for a cloud node. */
export function upstreamSnippets(change: UpstreamChange): UpstreamSnippet[] {
  const address = ip(change.address);
  const peers = [...new Set(change.peers.map(ip).filter((s): s is string => s !== null))];
  const { protocol: proto, port } = change;
  if (change.kind === 'forward') {
    const target = address ?? `<${change.node}-address>`;
    const publicSide = ip(change.publicAddress);
    const on = `the gateway in front of ${change.node}`;
    const nft = [
      `nft add rule ip nat prerouting ${publicSide ? `ip daddr ${publicSide} ` : ''}${proto} dport ${port} dnat to ${target}:${port}`,
      `nft add rule inet filter forward ip daddr ${target} ${proto} dport ${port} accept`,
    ];
    const ipt = [
      `iptables -t nat -A PREROUTING ${publicSide ? `-d ${publicSide} ` : ''}-p ${proto} --dport ${port} -j DNAT --to-destination ${target}:${port}`,
      `iptables -A FORWARD -d ${target} -p ${proto} --dport ${port} -j ACCEPT`,
    ];
    return [
      { tool: 'nftables', label: `${on} (nftables)`, text: nft.join('\n') },
      { tool: 'iptables', label: `${on} (iptables)`, text: ipt.join('\n') },
    ];
  }
  if (change.site === 'cloud') return cloudSnippets(change, peers);
  const out = change.kind === 'egress';
  const v4 = peers.filter((s) => !s.includes(':'));
  const v6 = peers.filter((s) => s.includes(':'));
  const own = address && !address.includes(':') ? address : null;
  // The node's side of the rule and the peers' side: inbound names the peers as sources, outbound as destinations.
  const nftSide = (family: 'ip' | 'ip6', list: string[]) => {
    const them = list.length ? ` ${family} ${out ? 'daddr' : 'saddr'} { ${list.join(', ')} }` : '';
    const me = family === 'ip' && own ? ` ip ${out ? 'saddr' : 'daddr'} ${own}` : '';
    return out ? `${me}${them}` : `${them}${me}`;
  };
  const iptSide = (list: string[], mine: string | null) => {
    const them = list.length ? ` ${out ? '-d' : '-s'} ${list.join(',')}` : '';
    const me = mine ? ` ${out ? '-s' : '-d'} ${mine}` : '';
    return out ? `${me}${them}` : `${them}${me}`;
  };
  const v4Rule = v4.length > 0 || v6.length === 0;
  const nft = [
    ...(v4Rule ? [`nft add rule inet filter forward${nftSide('ip', v4)} ${proto} dport ${port} accept`] : []),
    ...(v6.length ? [`nft add rule inet filter forward${nftSide('ip6', v6)} ${proto} dport ${port} accept`] : []),
  ];
  const ipt = [
    ...(v4Rule ? [`iptables -A FORWARD${iptSide(v4, own)} -p ${proto} --dport ${port} -j ACCEPT`] : []),
    ...(v6.length ? [`ip6tables -A FORWARD${iptSide(v6, null)} -p ${proto} --dport ${port} -j ACCEPT`] : []),
  ];
  const on = `the network firewall in front of ${change.node}`;
  return [
    { tool: 'nftables', label: `${on} (nftables)`, text: nft.join('\n') },
    { tool: 'iptables', label: `${on} (iptables)`, text: ipt.join('\n') },
  ];
}

function cloudSnippets(change: UpstreamChange, peers: string[]): UpstreamSnippet[] {
  const { protocol: proto, port } = change;
  const out = change.kind === 'egress';
  const name = `spanwise-${proto}-${port}-${change.node}${out ? '-out' : ''}`;
  const cidrs4 = peers.filter((s) => !s.includes(':')).map((s) => `${s}/32`);
  const cidrs6 = peers.filter((s) => s.includes(':')).map((s) => `${s}/128`);
  if (cidrs4.length + cidrs6.length === 0) cidrs4.push('0.0.0.0/0');
  const permissions = [
    `IpProtocol=${proto}`,
    `FromPort=${port}`,
    `ToPort=${port}`,
    ...(cidrs4.length ? [`IpRanges=[${cidrs4.map((c) => `{CidrIp=${c}}`).join(',')}]`] : []),
    ...(cidrs6.length ? [`Ipv6Ranges=[${cidrs6.map((c) => `{CidrIpv6=${c}}`).join(',')}]`] : []),
  ];
  const all = [...cidrs4, ...cidrs6];
  return [
    {
      tool: 'aws',
      label: `the security group of ${change.node} (AWS)`,
      text: `aws ec2 authorize-security-group-${out ? 'egress' : 'ingress'} --group-id <sg-id> --ip-permissions '${permissions.join(',')}'`,
    },
    {
      tool: 'gcloud',
      label: `the VPC firewall of ${change.node} (Google Cloud)`,
      text: `gcloud compute firewall-rules create ${name} --network <network> --direction ${out ? 'EGRESS' : 'INGRESS'} --action ALLOW --rules ${proto}:${port} --${out ? 'destination' : 'source'}-ranges ${all.join(',')} --target-tags <tag>`,
    },
    {
      tool: 'az',
      label: `the network security group of ${change.node} (Azure)`,
      text: `az network nsg rule create --resource-group <resource-group> --nsg-name <nsg-name> --name ${name} --priority <priority> --direction ${out ? 'Outbound' : 'Inbound'} --access Allow --protocol ${proto === 'udp' ? 'Udp' : 'Tcp'} --destination-port-ranges ${port} --${out ? 'destination' : 'source'}-address-prefixes ${all.join(' ')}`,
    },
  ];
}

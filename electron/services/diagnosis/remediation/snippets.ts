import { formatIp, parseIp } from '../../../../agent/shared/ip.js';
import type { UpstreamSnippet } from '../../../contract/diagnosis.js';
import type { SiteKind } from '../../../contract/machines.js';
import type { PortSpec } from './host-fixes.js';

/** What has to change upstream of a node for a port to arrive: a forward on its NAT gateway, or an allow in the firewall in front of it. */
export interface UpstreamChange extends PortSpec {
  node: string;
  site: SiteKind;
  /** `forward`: the node is behind NAT, its gateway forwards the port; `allow`: the firewall in front lets it through. */
  kind: 'forward' | 'allow';
  /** The node's own address (what a forward points at, what an allow names). */
  address: string | null;
  /** The address peers dial (the gateway's public side for a node behind NAT). */
  publicAddress: string | null;
  /** Addresses the cluster's nodes send from; empty means anywhere. */
  sources: string[];
}

/** Only real IP addresses go into a command: agents report these, so anything else is dropped. */
const ip = (text: string | null) => {
  const parsed = text ? parseIp(text) : undefined;
  return parsed ? formatIp(parsed) : null;
};

/** The upstream change as copyable commands: nftables and iptables for a gateway or network firewall, the cloud CLIs for a cloud node. */
export function upstreamSnippets(change: UpstreamChange): UpstreamSnippet[] {
  const address = ip(change.address);
  const sources = [...new Set(change.sources.map(ip).filter((s): s is string => s !== null))];
  const v4 = sources.filter((s) => !s.includes(':'));
  const v6 = sources.filter((s) => s.includes(':'));
  const { protocol: proto, port } = change;
  const name = `spanwise-${proto}-${port}-${change.node}`;
  if (change.kind === 'forward') {
    const target = address ?? `<${change.node}-address>`;
    const publicSide = ip(change.publicAddress);
    const on = `the gateway in front of ${change.node}`;
    return [
      {
        tool: 'nftables',
        label: `${on} (nftables)`,
        text: [
          `nft add rule ip nat prerouting ${publicSide ? `ip daddr ${publicSide} ` : ''}${proto} dport ${port} dnat to ${target}:${port}`,
          `nft add rule inet filter forward ip daddr ${target} ${proto} dport ${port} accept`,
        ].join('\n'),
      },
      {
        tool: 'iptables',
        label: `${on} (iptables)`,
        text: [
          `iptables -t nat -A PREROUTING ${publicSide ? `-d ${publicSide} ` : ''}-p ${proto} --dport ${port} -j DNAT --to-destination ${target}:${port}`,
          `iptables -A FORWARD -d ${target} -p ${proto} --dport ${port} -j ACCEPT`,
        ].join('\n'),
      },
    ];
  }
  if (change.site === 'cloud') return cloudSnippets(change, name, v4, v6);
  const on = `the network firewall in front of ${change.node}`;
  const daddr4 = address && !address.includes(':') ? ` ip daddr ${address}` : '';
  const nft = [
    ...(v4.length || !v6.length
      ? [`nft add rule inet filter forward${v4.length ? ` ip saddr { ${v4.join(', ')} }` : ''}${daddr4} ${proto} dport ${port} accept`]
      : []),
    ...(v6.length ? [`nft add rule inet filter forward ip6 saddr { ${v6.join(', ')} } ${proto} dport ${port} accept`] : []),
  ];
  const ipt = [
    ...(v4.length || !v6.length
      ? [
          `iptables -A FORWARD${v4.length ? ` -s ${v4.join(',')}` : ''}${address && !address.includes(':') ? ` -d ${address}` : ''} -p ${proto} --dport ${port} -j ACCEPT`,
        ]
      : []),
    ...(v6.length ? [`ip6tables -A FORWARD -s ${v6.join(',')} -p ${proto} --dport ${port} -j ACCEPT`] : []),
  ];
  return [
    { tool: 'nftables', label: `${on} (nftables)`, text: nft.join('\n') },
    { tool: 'iptables', label: `${on} (iptables)`, text: ipt.join('\n') },
  ];
}

function cloudSnippets(change: UpstreamChange, name: string, v4: string[], v6: string[]): UpstreamSnippet[] {
  const { protocol: proto, port } = change;
  const cidrs4 = v4.length || !v6.length ? (v4.length ? v4.map((s) => `${s}/32`) : ['0.0.0.0/0']) : [];
  const cidrs6 = v6.map((s) => `${s}/128`);
  const ranges = [...cidrs4.map((c) => `{CidrIp=${c}}`)].join(',');
  const ranges6 = cidrs6.map((c) => `{CidrIpv6=${c}}`).join(',');
  const permissions = [
    `IpProtocol=${proto}`,
    `FromPort=${port}`,
    `ToPort=${port}`,
    ...(ranges ? [`IpRanges=[${ranges}]`] : []),
    ...(ranges6 ? [`Ipv6Ranges=[${ranges6}]`] : []),
  ];
  const all = [...cidrs4, ...cidrs6];
  const on = `the security group of ${change.node}`;
  return [
    {
      tool: 'aws',
      label: `${on} (AWS)`,
      text: `aws ec2 authorize-security-group-ingress --group-id <sg-id> --ip-permissions '${permissions.join(',')}'`,
    },
    {
      tool: 'gcloud',
      label: `the VPC firewall of ${change.node} (Google Cloud)`,
      text: `gcloud compute firewall-rules create ${name} --network <network> --direction INGRESS --action ALLOW --rules ${proto}:${port} --source-ranges ${all.join(',')} --target-tags <tag>`,
    },
    {
      tool: 'az',
      label: `the network security group of ${change.node} (Azure)`,
      text: `az network nsg rule create --resource-group <resource-group> --nsg-name <nsg-name> --name ${name} --priority <priority> --direction Inbound --access Allow --protocol ${proto === 'udp' ? 'Udp' : 'Tcp'} --destination-port-ranges ${port} --source-address-prefixes ${all.join(' ')}`,
    },
  ];
}

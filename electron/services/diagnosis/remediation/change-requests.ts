import type { SiteKind } from '../../../contract/machines.js';
import type { PortSpec } from './host-fixes.js';

const name = (p: PortSpec) => `${p.protocol.toUpperCase()} ${p.port}`;

/** Text for whoever runs the site gateway in front of a host behind NAT: a port forward. */
export function gatewayForwardRequest(node: string, publicIp: string | null, privateIp: string | null, p: PortSpec): string {
  return [
    `Change request for the gateway in front of ${node}${publicIp ? ` (public address ${publicIp})` : ''}:`,
    `forward ${name(p)} arriving on its public side to ${privateIp ?? node}:${p.port}, keeping the port (KubeSpan advertises ip:${p.port}),`,
    `and allow ${name(p)} inbound to ${node} in the gateway's firewall (its forward chain or policy).`,
  ].join(' ');
}

/** Text for a cloud security group or a site's network firewall in front of a host with its own public address. */
export function networkFirewallRequest(node: string, site: SiteKind, address: string | null, p: PortSpec, sources: string[]): string {
  const from =
    sources.length > 0
      ? `from the cluster's nodes (${sources.join(', ')}), or from anywhere (0.0.0.0/0, ::/0) if nodes move`
      : 'from anywhere (0.0.0.0/0, ::/0)';
  const where =
    site === 'cloud'
      ? 'in the cloud security group or network firewall attached to it (AWS security group inbound rule, GCP VPC firewall rule, Azure network security group inbound rule)'
      : site === 'datacenter'
        ? "in the datacenter's network firewall in front of it"
        : 'in the router or firewall in front of it';
  return `Change request: allow inbound ${name(p)} ${from} to ${node}${address ? ` (${address})` : ''} ${where}.`;
}

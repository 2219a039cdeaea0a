import { compareIp, isLinkLocal, isLoopback, parsePrefix, prefixContains, type IpAddr, type IpPrefix } from '../shared/ip.js';

/** Links whose addresses are never node addresses: the mesh itself and CNI/container plumbing. */
const EXCLUDED_LINK = /^(kubespan|lo$|cni|flannel|cali|cilium|lxc|kube-ipvs|docker|vxlan)/;

/** A link's name and CIDR addresses, as the host reports them. */
export interface LinkAddresses {
  name: string;
  addresses: readonly string[];
}

/**
 * The node's own addresses: every address of the host's links except loopback, link-local,
 * the cluster's KubeSpan ULAs and CNI/mesh links; IPv4 first, then IPv6, in numeric order.
 */
export function nodeAddresses(links: readonly LinkAddresses[], clusterSubnet: IpPrefix): IpAddr[] {
  const out: IpAddr[] = [];
  for (const link of links) {
    if (EXCLUDED_LINK.test(link.name)) continue;
    for (const cidr of link.addresses) {
      const addr = parsePrefix(cidr.split('/')[0] ?? '')?.addr;
      if (!addr || isLoopback(addr) || isLinkLocal(addr) || prefixContains(clusterSubnet, addr)) continue;
      if (!out.some((o) => compareIp(o, addr) === 0)) out.push(addr);
    }
  }
  return out.sort(compareIp);
}

import type { HostFix } from '../../../contract/diagnosis.js';
import type { LocalVerdict } from '../evidence.js';

/** A port to open inbound. */
export interface PortSpec {
  protocol: 'tcp' | 'udp';
  port: number;
}

/** The comment that marks rules Spanwise adds, so revert finds exactly them. */
export const fixTag = (p: PortSpec) => `spanwise-${p.protocol}-${p.port}`;

/**
 * Names read from the host go into root commands only when they are plain
 * identifiers: nft joins its arguments and parses them again, so a table named
 * `x; flush ruleset` or `x$(...)` (which the netlink API allows) must never reach
 * it, nor a shell. Anything else gets no automatic fix.
 */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const NFT_FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);
const FIREWALLD_ZONE = /^[A-Za-z0-9_][A-Za-z0-9_+.-]{0,63}$/;

const plainNftChain = (anchor: string): boolean => {
  const [family = '', table = '', chain = '', ...rest] = anchor.split(' ');
  return rest.length === 0 && NFT_FAMILIES.has(family) && PLAIN_NAME.test(table) && PLAIN_NAME.test(chain);
};

function nftables(p: PortSpec, anchors: string[]): Pick<HostFix, 'apply' | 'revert'> | null {
  const chains = anchors.length > 0 ? anchors : ['inet filter input'];
  if (!chains.every(plainNftChain)) return null;
  const tag = fixTag(p);
  return {
    apply: chains.map((c) => `nft insert rule ${c} ${p.protocol} dport ${p.port} accept comment "${tag}"`),
    revert: chains.map(
      (c) => `nft -a list chain ${c} | sed -n 's/.*comment "${tag}".*# handle \\([0-9]*\\)$/\\1/p' | xargs -r -n1 nft delete rule ${c} handle`,
    ),
  };
}

function iptables(p: PortSpec): Pick<HostFix, 'apply' | 'revert'> {
  const spec = `INPUT -p ${p.protocol} --dport ${p.port} -m comment --comment ${fixTag(p)} -j ACCEPT`;
  return { apply: [`iptables -I ${spec.replace('INPUT', 'INPUT 1')}`], revert: [`iptables -D ${spec}`] };
}

function ufw(p: PortSpec, hasRules: boolean): Pick<HostFix, 'apply' | 'revert'> {
  return {
    apply: [`ufw ${hasRules ? 'insert 1 ' : ''}allow ${p.port}/${p.protocol} comment ${fixTag(p)}`],
    revert: [`ufw delete allow ${p.port}/${p.protocol}`],
  };
}

function firewalld(p: PortSpec, zone: string, rule: string | null): Pick<HostFix, 'apply' | 'revert'> | null {
  if (!FIREWALLD_ZONE.test(zone)) return null;
  const apply: string[] = [];
  const revert: string[] = [];
  const rich = rule ? /^firewalld zone \S+: (rule .*)$/.exec(rule)?.[1] : undefined;
  if (rich) {
    const quoted = `'${rich.replace(/'/g, `'\\''`)}'`;
    for (const permanent of ['', '--permanent ']) {
      apply.push(`firewall-cmd ${permanent}--zone=${zone} --remove-rich-rule=${quoted}`);
      revert.unshift(`firewall-cmd ${permanent}--zone=${zone} --add-rich-rule=${quoted}`);
    }
  }
  for (const permanent of ['', '--permanent ']) {
    apply.push(`firewall-cmd ${permanent}--zone=${zone} --add-port=${p.port}/${p.protocol}`);
    revert.unshift(`firewall-cmd ${permanent}--zone=${zone} --remove-port=${p.port}/${p.protocol}`);
  }
  return { apply, revert };
}

/**
 * Commands that open a port inbound in the host firewall that blocks it,
 * with the commands that undo exactly that; null when there is nothing to run,
 * or the host's names are not plain identifiers. nftables and iptables changes are
 * runtime only (persist them in the host's own config once confirmed); ufw and
 * firewalld changes persist.
 */
export function hostFixFor(node: string, local: LocalVerdict, p: PortSpec): HostFix | null {
  if (local.verdict !== 'block' || !local.firewall) return null;
  switch (local.firewall) {
    case 'nftables': {
      const commands = nftables(p, local.anchors);
      return commands && { node, firewall: 'nftables', ...commands };
    }
    case 'iptables':
      return { node, firewall: 'iptables', ...iptables(p) };
    case 'ufw':
      return { node, firewall: 'ufw', ...ufw(p, local.hasRules ?? true) };
    case 'firewalld': {
      const commands = firewalld(p, local.anchors[0] ?? 'public', local.rule);
      return commands && { node, firewall: 'firewalld', ...commands };
    }
  }
}

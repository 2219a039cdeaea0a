import type { HostFix } from '../../../contract/diagnosis.js';
import type { LocalVerdict } from '../evidence.js';

/** A port to open inbound. */
export interface PortSpec {
  protocol: 'tcp' | 'udp';
  port: number;
}

/** The comment that marks rules Spanwise adds, so revert finds exactly them. */
export const fixTag = (p: PortSpec) => `spanwise-${p.protocol}-${p.port}`;

function nftables(p: PortSpec, anchors: string[]): Pick<HostFix, 'apply' | 'revert'> {
  const chains = anchors.length > 0 ? anchors : ['inet filter input'];
  const tag = fixTag(p);
  return {
    apply: chains.map((c) => `nft insert rule ${c} ${p.protocol} dport ${p.port} accept comment "${tag}"`),
    revert: chains.map((c) => `nft -a list chain ${c} | sed -n 's/.*comment "${tag}".*# handle \\([0-9]*\\)$/\\1/p' | xargs -r -n1 nft delete rule ${c} handle`),
  };
}

function iptables(p: PortSpec): Pick<HostFix, 'apply' | 'revert'> {
  const spec = `INPUT -p ${p.protocol} --dport ${p.port} -m comment --comment ${fixTag(p)} -j ACCEPT`;
  return { apply: [`iptables -I ${spec.replace('INPUT', 'INPUT 1')}`], revert: [`iptables -D ${spec}`] };
}

function ufw(p: PortSpec, hasRules: boolean): Pick<HostFix, 'apply' | 'revert'> {
  return { apply: [`ufw ${hasRules ? 'insert 1 ' : ''}allow ${p.port}/${p.protocol} comment ${fixTag(p)}`], revert: [`ufw delete allow ${p.port}/${p.protocol}`] };
}

function firewalld(p: PortSpec, zone: string, rule: string | null): Pick<HostFix, 'apply' | 'revert'> {
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
 * with the commands that undo exactly that. nftables and iptables changes are
 * runtime only (persist them in the host's own config once confirmed); ufw and
 * firewalld changes persist.
 */
export function hostFixFor(node: string, local: LocalVerdict, p: PortSpec): HostFix | null {
  if (local.verdict !== 'block' || !local.firewall) return null;
  switch (local.firewall) {
    case 'nftables':
      return { node, firewall: 'nftables', ...nftables(p, local.anchors) };
    case 'iptables':
      return { node, firewall: 'iptables', ...iptables(p) };
    case 'ufw':
      return { node, firewall: 'ufw', ...ufw(p, local.hasRules ?? true) };
    case 'firewalld':
      return { node, firewall: 'firewalld', ...firewalld(p, local.anchors[0] ?? 'public', local.rule) };
  }
}

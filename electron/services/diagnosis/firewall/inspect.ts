import type { FirewallKind } from '../../../contract/diagnosis.js';
import type { FirewallEvidence, LocalVerdict } from '../evidence.js';
import { AGENT_API_PORT, MESH_PORT } from '../../../../agent/shared/ports.js';
import { judgeFirewalld } from './firewalld.js';
import { hasDockerChains, iptablesFilters, judgeIptables } from './iptables.js';
import { judgeNftables, parseNftRuleset } from './nftables.js';
import type { PortQuery, RuleVerdict } from './types.js';
import { judgeUfw, parseUfw } from './ufw.js';

/** Raw outputs read on a host; absent when the tool is not installed. */
export interface FirewallOutputs {
  nft?: string;
  iptablesSave?: string;
  ufw?: string;
  firewalldState?: string;
  firewalldListAll?: string;
}

/** The firewall that manages the host: an active firewalld or ufw first, then iptables or raw nftables rules. */
export function managingFirewall(out: FirewallOutputs): FirewallKind | null {
  if (out.firewalldState && /^running/m.test(out.firewalldState)) return 'firewalld';
  if (out.ufw && parseUfw(out.ufw).active) return 'ufw';
  if (out.iptablesSave && iptablesFilters(out.iptablesSave)) return 'iptables';
  if (out.nft && parseNftRuleset(out.nft).some((c) => c.hook === 'input' || c.hook === 'prerouting')) return 'nftables';
  return null;
}

function judge(out: FirewallOutputs, q: PortQuery): LocalVerdict {
  const judges: Array<[FirewallKind, () => RuleVerdict]> = [];
  if (out.firewalldState !== undefined && out.firewalldListAll !== undefined)
    judges.push(['firewalld', () => judgeFirewalld(out.firewalldState as string, out.firewalldListAll as string, q)]);
  if (out.ufw !== undefined) judges.push(['ufw', () => judgeUfw(out.ufw as string, q)]);
  if (out.iptablesSave !== undefined) judges.push(['iptables', () => judgeIptables(out.iptablesSave as string, q)]);
  if (out.nft !== undefined) judges.push(['nftables', () => judgeNftables(out.nft as string, q)]);
  if (judges.length === 0) return { verdict: 'unknown', firewall: null, rule: null, anchors: [] };
  let unknown = false;
  for (const [kind, run] of judges) {
    const v = run();
    if (v.verdict === 'block')
      return { verdict: 'block', firewall: kind, rule: v.rule, anchors: v.anchors, ...(v.hasRules !== undefined ? { hasRules: v.hasRules } : {}) };
    if (v.verdict === 'unknown') unknown = true;
  }
  const manager = managingFirewall(out);
  const ufwRules = out.ufw !== undefined ? parseUfw(out.ufw).rules.length > 0 : undefined;
  return { verdict: unknown ? 'unknown' : 'allow', firewall: manager, rule: null, anchors: [], ...(ufwRules !== undefined ? { hasRules: ufwRules } : {}) };
}

/** Reads what the host's own firewall does with UDP 51820 and TCP 50000 inbound. */
export function inspectFirewall(out: FirewallOutputs): FirewallEvidence {
  return {
    kind: managingFirewall(out),
    docker: (out.iptablesSave !== undefined && hasDockerChains(out.iptablesSave)) || (out.nft !== undefined && hasDockerChains(out.nft)),
    udp51820: judge(out, { protocol: 'udp', port: MESH_PORT }),
    tcp50000: judge(out, { protocol: 'tcp', port: AGENT_API_PORT }),
  };
}

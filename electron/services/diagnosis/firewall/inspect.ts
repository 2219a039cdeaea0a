import type { FirewallKind } from '../../../contract/diagnosis.js';
import type { FirewallEvidence, LocalVerdict } from '../evidence.js';
import { AGENT_API_PORT, MESH_PORT } from '../../../../agent/shared/ports.js';
import { judgeFirewalld } from './firewalld.js';
import { hasDockerChains, iptablesFilters, judgeIptablesHost } from './iptables.js';
import { judgeNftables, nftFiltersInbound, nftHasDocker } from './nftables.js';
import type { PortQuery, RuleVerdict } from './types.js';
import { judgeUfw, ufwState } from './ufw.js';

/** Raw outputs read on a host; absent when the tool is not installed. */
export interface FirewallOutputs {
  nft?: string;
  /** `iptables -V`: names the backend, `(nf_tables)` or `(legacy)`. */
  iptablesVersion?: string;
  iptablesSave?: string;
  ip6tablesSave?: string;
  /** `iptables-save` / `ip6tables-save` of the other backend (legacy on an nf_tables host, nft on a legacy host). */
  iptablesOtherSave?: string;
  ip6tablesOtherSave?: string;
  /** `ipset save`: the sets `-m set --match-set` rules name. */
  ipsetSave?: string;
  /** `ufw status verbose`, /etc/ufw/user.rules, user6.rules, and the files of /etc/ufw/applications.d one after another. */
  ufw?: string;
  ufwUserRules?: string;
  ufwUser6Rules?: string;
  ufwApps?: string;
  /** `ip route show default` (both families): the links that carry the mesh's traffic. */
  links?: string;
  /** `ip -o addr show scope global`: the addresses on those links. */
  addresses?: string;
  /** `firewall-cmd --state`, `--list-all-zones`, `--get-active-zones`, `--get-default-zone`, `--list-all-policies`, and `--info-service` of each service the zones name. */
  firewalldState?: string;
  firewalldZones?: string;
  firewalldActiveZones?: string;
  firewalldDefaultZone?: string;
  firewalldPolicies?: string;
  firewalldServices?: string;
}

/** The firewall that manages the host: an active firewalld or ufw first, then iptables or raw nftables rules. */
export function managingFirewall(out: FirewallOutputs): FirewallKind | null {
  if (out.firewalldState && /^running/m.test(out.firewalldState)) return 'firewalld';
  if (out.ufw && ufwState(out.ufw).active) return 'ufw';
  if (out.iptablesSave && iptablesFilters(out.iptablesSave)) return 'iptables';
  if (out.nft && nftFiltersInbound(out.nft)) return 'nftables';
  return null;
}

function judge(out: FirewallOutputs, q: PortQuery): LocalVerdict {
  const judges: Array<[FirewallKind, () => RuleVerdict]> = [];
  if (out.firewalldState !== undefined) judges.push(['firewalld', () => judgeFirewalld(out, q)]);
  if (out.ufw !== undefined) judges.push(['ufw', () => judgeUfw(out, q)]);
  if (out.iptablesSave !== undefined || out.ip6tablesSave !== undefined) judges.push(['iptables', () => judgeIptablesHost(out, q)]);
  const skipIptablesTables = out.iptablesSave !== undefined && /nf_tables/.test(out.iptablesVersion ?? '');
  const skipFirewalldTables = out.firewalldState !== undefined && /^running/m.test(out.firewalldState);
  if (out.nft !== undefined) judges.push(['nftables', () => judgeNftables(out.nft as string, q, { skipIptablesTables, skipFirewalldTables })]);
  if (judges.length === 0) return { verdict: 'unknown', firewall: null, rule: null, anchors: [] };
  let unknown = false;
  let reason: string | undefined;
  for (const [kind, run] of judges) {
    const v = run();
    if (v.verdict === 'block')
      return {
        verdict: 'block',
        firewall: kind,
        rule: v.rule,
        anchors: v.anchors,
        ...(v.hasRules !== undefined ? { hasRules: v.hasRules } : {}),
        ...(v.location ? { location: v.location } : {}),
        ...(v.iptables ? { iptables: v.iptables } : {}),
      };
    if (v.verdict === 'unknown') {
      unknown = true;
      reason ??= v.reason && `${kind}: ${v.reason}`;
    }
  }
  const manager = managingFirewall(out);
  const ufwRules = out.ufw !== undefined ? ufwState(out.ufw).hasRules : undefined;
  return {
    verdict: unknown ? 'unknown' : 'allow',
    firewall: manager,
    rule: null,
    anchors: [],
    ...(ufwRules !== undefined ? { hasRules: ufwRules } : {}),
    ...(reason ? { reason } : {}),
  };
}

/** Reads what the host's own firewall does with UDP 51820 and TCP 50000 inbound. */
export function inspectFirewall(out: FirewallOutputs): FirewallEvidence {
  return {
    kind: managingFirewall(out),
    docker: (out.iptablesSave !== undefined && hasDockerChains(out.iptablesSave)) || (out.nft !== undefined && nftHasDocker(out.nft)),
    udp51820: judge(out, { protocol: 'udp', port: MESH_PORT }),
    tcp50000: judge(out, { protocol: 'tcp', port: AGENT_API_PORT }),
  };
}

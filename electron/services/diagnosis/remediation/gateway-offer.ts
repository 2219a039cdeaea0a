import { formatIp, isLoopback, parseIp, parsePrefix, prefixContains } from '../../../../agent/shared/ip.js';
import type { DiagnosisReport, Finding, GatewayForward, HostFix } from '../../../contract/diagnosis.js';
import type { MachineRow } from '../../store/machines.js';
import { groupCauses } from '../causes.js';
import { checkedForward, GATEWAY_TABLE, gatewayFixId } from '../fix/gateway-plan.js';
import { fixComment } from '../fix/names.js';
import { UNREACHED_GATEWAY } from './open-port.js';

/** What the offer needs of a machine: its name, address and jump hosts, and the prefixes of its links (from the evidence; absent when not read). */
export type OfferMachine = Pick<MachineRow, 'name' | 'ssh' | 'jump'> & { links?: string[] };

/** Whether a jump host is the gateway: at its public address, or at an address on the node's side (a link prefix of the node). */
function isGateway(host: string, f: GatewayForward, links: string[]): boolean {
  if (host === f.publicAddress) return true;
  const ip = parseIp(host);
  if (!ip || isLoopback(ip) || formatIp(ip) === f.nodeAddress) return false;
  return links.some((cidr) => {
    const prefix = cidr.includes('/') ? parsePrefix(cidr) : undefined;
    return !!prefix && prefix.bits >= 8 && prefixContains(prefix, ip);
  });
}

/** The commands as the preview shows them; the forward chains are read from the gateway's ruleset when it is applied. */
function shown(f: GatewayForward): Pick<HostFix, 'apply' | 'revert'> {
  const tag = fixComment(gatewayFixId(f));
  return {
    apply: [
      `nft add table ${GATEWAY_TABLE}`,
      `nft add chain ${GATEWAY_TABLE} prerouting '{ type nat hook prerouting priority -101; policy accept; }'`,
      `nft add rule ${GATEWAY_TABLE} prerouting ip daddr ${f.publicAddress} ${f.protocol} dport ${f.port} dnat to ${f.nodeAddress}:${f.port} comment '"${tag}"'`,
      `nft insert rule <each forward chain that drops it> iifname <public link> ip daddr ${f.nodeAddress} ${f.protocol} dport ${f.port} accept comment '"${tag}"'`,
      '# or the same DNAT and FORWARD accept with iptables, where the gateway has no nft; runtime only, nothing is written to its boot files',
    ],
    revert: [`nft delete table ${GATEWAY_TABLE}`, `nft delete rule <each forward chain> handle <each rule commented ${tag}>`],
  };
}

/**
 * The fix on the gateway in front of a node, where one of the node's jump
 * hosts is that gateway (so Spanwise reaches it over SSH): the jump host at its
 * public address, else one on the node's side (applying checks that it holds
 * the public address). Null otherwise, or when the forward's addresses are not plain IPv4.
 */
export function gatewayHostFix(machine: OfferMachine, forward: GatewayForward, machines: OfferMachine[]): HostFix | null {
  const f = checkedForward(forward);
  if (!f || f.node !== machine.name) return null;
  const jump = machine.jump.findIndex((j) => isGateway(j.host, f, machine.links ?? []));
  const host = machine.jump[jump]?.host;
  if (!host) return null;
  const name = machines.find((m) => m.ssh.host === host)?.name ?? host;
  return { node: f.node, firewall: 'nftables', ...shown(f), target: { kind: 'gateway', label: `gateway ${name} via jump host`, jump, host }, forward: f };
}

/** A finding with the gateway fix added where its remediation asks a forward of a gateway Spanwise reaches. */
function offered(finding: Finding, machines: OfferMachine[]): Finding {
  const forward = finding.remediation.gateway;
  const machine = forward && machines.find((m) => m.name === forward.node);
  const fix = machine && gatewayHostFix(machine, forward, machines);
  if (!fix?.target) return finding;
  const reached = `(the ${fix.target.label}: Spanwise applies it there with a preview and automatic revert, or send the change request)`;
  const summary = finding.remediation.summary.replace(UNREACHED_GATEWAY, reached);
  return { ...finding, remediation: { ...finding.remediation, summary, hostFixes: [...finding.remediation.hostFixes, fix] } };
}

/** The report with gateway fixes offered, and its causes grouped again over the changed findings. */
export function offerGatewayFixes(report: DiagnosisReport, machines: OfferMachine[]): DiagnosisReport {
  const findings = report.findings.map((f) => offered(f, machines));
  return { ...report, findings, causes: groupCauses(findings, report.matrix) };
}

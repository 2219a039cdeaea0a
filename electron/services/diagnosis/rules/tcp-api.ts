import type { Finding, Severity } from '../../../contract/diagnosis.js';
import { finding, type DiagnosisContext } from '../context.js';
import { AGENT_API_PORT } from '../../../../agent/shared/ports.js';
import { localVerdict, openPortRemediation } from '../remediation/open-port.js';

const TCP = { protocol: 'tcp', port: AGENT_API_PORT } as const;

/**
 * TCP_50000_UNREACHABLE: the agent API does not answer directly from the
 * desktop (or from other nodes). Error when the agent cannot be read at all;
 * warning when status still reads it through SSH; info when that is expected
 * (an edge node behind NAT with no forward) or only node-to-node is blocked.
 */
export function tcpApiRule(ctx: DiagnosisContext): Finding[] {
  const out: Finding[] = [];
  for (const name of ctx.names) {
    const node = ctx.node(name);
    const tried = node.apiFromDesktop;
    const desktopBlocked = tried.length > 0 && tried.every((t) => !t.reachable);
    const fromNodes = ctx.names.filter((o) => o !== name && ctx.inbound('tcp50000', o, name) === 'blocked');
    const local = localVerdict(ctx, name, TCP);
    if (!desktopBlocked && fromNodes.length === 0 && local.verdict !== 'block') continue;
    const nat = ctx.nat(name);
    const expected = nat.behindNat === true && node.site === 'edge' && local.verdict !== 'block';
    let severity: Severity = 'info';
    if (desktopBlocked || local.verdict === 'block') severity = !node.agent.reachable ? 'error' : expected ? 'info' : 'warning';
    const evidence: string[] = [];
    if (desktopBlocked)
      evidence.push(`TCP ${AGENT_API_PORT} from the desktop does not answer: ${tried.map((t) => `${t.target} (${t.error ?? 'failed'})`).join(', ')}`);
    if (fromNodes.length > 0) evidence.push(`TCP ${AGENT_API_PORT} from ${fromNodes.join(', ')} does not answer`);
    if (local.verdict === 'block') evidence.push(`${name}'s ${local.firewall} blocks it: ${local.rule}`);
    else if (local.verdict === 'allow')
      evidence.push(
        `${name}'s own firewall allows TCP ${AGENT_API_PORT} inbound, so the block is upstream${nat.behindNat ? ` (the NAT gateway at ${nat.publicIp ?? 'its public address'})` : ''}`,
      );
    evidence.push(
      node.agent.reachable
        ? `the desktop still reads the agent ${node.agent.via === 'ssh-tunnel' ? 'through an SSH tunnel' : 'directly'}`
        : 'the desktop cannot read the agent at all',
    );
    if (expected) evidence.push(`expected for an edge node behind NAT; Spanwise reads it through SSH`);
    out.push(
      finding('TCP_50000_UNREACHABLE', severity, [name], {
        port: AGENT_API_PORT,
        protocol: 'tcp',
        where: local.verdict === 'block' ? 'host' : 'upstream',
        evidence,
        remediation: openPortRemediation(ctx, name, TCP),
      }),
    );
  }
  return out;
}

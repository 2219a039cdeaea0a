import type { Finding } from '../../../contract/diagnosis.js';
import { finding, type DiagnosisContext } from '../context.js';

/** DISCOVERY_UNREACHABLE: a node cannot open TCP to the discovery service (error: it learns no peers). */
export function discoveryRule(ctx: DiagnosisContext): Finding[] {
  return ctx.names
    .map((name) => ({ name, d: ctx.node(name).discovery }))
    .filter((x): x is { name: string; d: NonNullable<typeof x.d> } => x.d !== null && !x.d.reachable)
    .map(({ name, d }) => {
      const port = Number(/:(\d+)$/.exec(d.target)?.[1] ?? 0) || null;
      return finding('DISCOVERY_UNREACHABLE', 'error', [name], {
        port,
        protocol: 'tcp',
        where: 'upstream',
        evidence: [
          `${name} cannot connect to the discovery service at ${d.target} (${d.error ?? 'failed'})`,
          `without it ${name} learns no new peers and publishes no endpoints`,
        ],
        remediation: {
          summary: `Let ${name} reach ${d.target} over TCP, and check that the discovery service runs.`,
          hostFixes: [],
          changeRequest: `Allow outbound TCP${port ? ` ${port}` : ''} from ${name} to the discovery service ${d.target} (egress rules, proxy, or the service's own firewall).`,
        },
      });
    });
}

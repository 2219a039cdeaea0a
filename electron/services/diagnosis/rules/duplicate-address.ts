import { formatIp, parseIp } from '../../../../agent/shared/ip.js';
import type { Finding } from '../../../contract/diagnosis.js';
import { finding, type DiagnosisContext } from '../context.js';

/**
 * DUPLICATE_MESH_ADDRESS: two or more nodes claim one mesh address (error).
 * The address comes from the link's MAC, so cloned machines with equal MACs
 * get the same one, and the mesh routes it to only one of them.
 */
export function duplicateAddressRule(ctx: DiagnosisContext): Finding[] {
  const byAddress = new Map<string, string[]>();
  for (const name of ctx.names) {
    const raw = ctx.node(name).meshAddress;
    const ip = raw ? parseIp(raw) : undefined;
    if (!ip) continue;
    const key = formatIp(ip);
    byAddress.set(key, [...(byAddress.get(key) ?? []), name]);
  }
  return [...byAddress]
    .filter(([, names]) => names.length > 1)
    .map(([address, names]) => {
      const sorted = [...names].sort();
      const keys = sorted.map((n) => `${n} (key ${ctx.node(n).publicKey?.slice(0, 8) ?? 'unknown'}…)`);
      return finding('DUPLICATE_MESH_ADDRESS', 'error', sorted, {
        evidence: [
          `${sorted.join(' and ')} all claim mesh address ${address}: ${keys.join(', ')}`,
          'the mesh address is derived from the MAC of the node’s first physical link, so cloned machines with equal MACs collide; the mesh routes the address to only one of them and drops the rest',
        ],
        remediation: {
          summary: `Give all but one of ${sorted.join(', ')} a new MAC address (a clone keeps its template's), then restart their agents so each derives its own mesh address.`,
          hostFixes: [],
          changeRequest: `Change request: assign unique MAC addresses to the virtual NICs of ${sorted.slice(1).join(', ')} (cloned from the same template as ${sorted[0]}).`,
        },
      });
    });
}

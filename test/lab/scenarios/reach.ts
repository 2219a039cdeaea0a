import type { Proto, Reach } from '../scenario.js';

/** The KubeSpan ports: WireGuard and the agent API. */
export const WIREGUARD: { proto: Proto; port: number } = { proto: 'udp', port: 51820 };
export const AGENT_API: { proto: Proto; port: number } = { proto: 'tcp', port: 50000 };

/** Every ordered pair of `hosts` on each of `ports`, all with the same outcome. */
export function everyPair(hosts: string[], ports: { proto: Proto; port: number }[], reachable: boolean, why?: string): Reach[] {
  const out: Reach[] = [];
  for (const from of hosts) {
    for (const to of hosts) {
      if (from === to) continue;
      for (const { proto, port } of ports) out.push({ from, to, proto, port, reachable, ...(why ? { why } : {}) });
    }
  }
  return out;
}

/** One cell of the matrix, written tersely. */
export function reach(from: string, to: string, p: { proto: Proto; port: number }, reachable: boolean, why?: string): Reach {
  return { from, to, proto: p.proto, port: p.port, reachable, ...(why ? { why } : {}) };
}

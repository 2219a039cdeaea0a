import type { Reach } from '../evidence.js';
import { AGENT_API_PORT } from '../../../../agent/shared/ports.js';
import { atOnce, probe, type Batch } from './agent-calls.js';
import { targetIps, type NodeRead } from './node-read.js';

/** TCP 50000 from `from` to any of `to`'s addresses of one family (tried at once); unknown without an agent or an address. */
export async function tcpInto(from: NodeRead, to: NodeRead, timeoutMs: number, batch: Batch = atOnce, family: 4 | 6 = 4): Promise<Reach> {
  const ips = targetIps(to, family);
  if (!from.agent || ips.length === 0) return 'unknown';
  const client = from.agent.connection.client;
  const results = await batch(ips.map((ip) => () => probe(client, 'tcp', ip, AGENT_API_PORT, timeoutMs)));
  return results.some((r) => r.reachable) ? 'open' : 'blocked';
}

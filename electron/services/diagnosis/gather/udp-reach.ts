import type { NatObservation, Reach } from '../evidence.js';
import { MESH_PORT } from '../../../../agent/shared/ports.js';
import { counterAddScript, counterReadScript, parseCounters } from './arrival-counter.js';
import { atOnce, openResponder, probe, type Batch } from './agent-calls.js';
import { targetIps, type NodeRead } from './node-read.js';

/** UDP 51820 reach into one node from every other, and the NAT observations the probes produced. */
export interface UdpInto {
  reach: Map<string, Reach>;
  observations: Array<{ node: string; observation: NatObservation }>;
  method: 'responder' | 'counter' | null;
}

/** Datagrams each sender sends to each address of the receiver (UDP may drop one). */
const COPIES = 3;

/**
 * Tests UDP 51820 into `to` from each sender. Before the mesh: a responder on
 * `to` answers probes sent from port 51820 (the answer also says what source
 * address arrived: NAT evidence). After the mesh (the port is WireGuard's): an
 * arrival counter on `to` (over SSH) counts probe datagrams per sender;
 * arrivals that the host's own firewall then drops count as blocked. Probes
 * travel the underlay, never the mesh (the agent sends them unmarked).
 */
export async function udpInto(
  to: NodeRead,
  senders: NodeRead[],
  sourceAddresses: (read: NodeRead) => string[],
  localBlocks: boolean,
  batch: Batch = atOnce,
  family: 4 | 6 = 4,
): Promise<UdpInto> {
  const result: UdpInto = { reach: new Map(), observations: [], method: null };
  const ips = targetIps(to, family);
  if (!to.agent || ips.length === 0) return result;
  const live = senders.filter((s) => s.agent);
  if (!to.meshUp && family === 4) {
    const responder = await openResponder(to.agent.connection.client, 'udp', MESH_PORT, 5_000);
    if (responder.opened) {
      result.method = 'responder';
      await batch(live.map((from) => async () => result.reach.set(from.node.name, await viaResponder(from, to, ips, result))));
      return result;
    }
  }
  if (!to.shell) return result;
  const add = await to.shell
    .exec(counterAddScript(Object.fromEntries(live.map((s) => [s.node.name, sourceAddresses(s)])), MESH_PORT, family))
    .catch(() => null);
  if (!add || add.code !== 0) return result;
  result.method = 'counter';
  await batch(
    live.flatMap((from) => ips.flatMap((ip) => Array.from({ length: COPIES }, () => () => probe(from.agent!.connection.client, 'udp', ip, MESH_PORT, 200, 0)))),
  );
  const read = await to.shell.exec(counterReadScript(family)).catch(() => null);
  const counts = parseCounters(read?.stdout ?? '');
  for (const from of live) {
    const n = counts.get(from.node.name);
    if (n !== undefined) result.reach.set(from.node.name, n > 0 && !localBlocks ? 'open' : 'blocked');
  }
  return result;
}

async function viaResponder(from: NodeRead, to: NodeRead, ips: string[], result: UdpInto): Promise<Reach> {
  const client = from.agent!.connection.client;
  for (const ip of ips) {
    let r = await probe(client, 'udp', ip, MESH_PORT, 1500, MESH_PORT);
    if (!r.reachable && /in use/.test(r.error)) r = await probe(client, 'udp', ip, MESH_PORT, 1500, 0);
    if (r.reachable) {
      if (r.observedSource)
        result.observations.push({
          node: from.node.name,
          observation: { observer: to.node.name, observed: r.observedSource, sourcePort: MESH_PORT, via: 'probe' },
        });
      return 'open';
    }
  }
  return 'blocked';
}

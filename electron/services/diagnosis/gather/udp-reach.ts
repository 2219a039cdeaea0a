import type { NatObservation, Reach } from '../evidence.js';
import { MESH_PORT } from '../evidence.js';
import { counterAddScript, counterReadScript, parseCounters } from './arrival-counter.js';
import { openResponder, probe } from './agent-calls.js';
import { targetIps, type NodeRead } from './node-read.js';

/** UDP 51820 reach into one node from every other, and the NAT observations the probes produced. */
export interface UdpInto {
  reach: Map<string, Reach>;
  observations: Array<{ node: string; observation: NatObservation }>;
  method: 'responder' | 'counter' | null;
}

/**
 * Tests UDP 51820 into `to` from each sender. Before the mesh: a responder on
 * `to` answers probes sent from port 51820 (the answer also says what source
 * address arrived: NAT evidence). After the mesh (the port is WireGuard's): an
 * arrival counter on `to` (over SSH) counts probe datagrams per sender;
 * arrivals that the host's own firewall then drops count as blocked.
 */
export async function udpInto(to: NodeRead, senders: NodeRead[], sourceAddresses: (read: NodeRead) => string[], localBlocks: boolean): Promise<UdpInto> {
  const result: UdpInto = { reach: new Map(), observations: [], method: null };
  const ips = targetIps(to);
  if (!to.agent || ips.length === 0) return result;
  const responder = await openResponder(to.agent.connection.client, 'udp', MESH_PORT, 15_000);
  if (responder.opened) {
    result.method = 'responder';
    await Promise.all(
      senders.map(async (from) => {
        if (!from.agent) return;
        for (const ip of ips) {
          let r = await probe(from.agent.connection.client, 'udp', ip, MESH_PORT, 2000, MESH_PORT);
          if (!r.reachable && /in use/.test(r.error)) r = await probe(from.agent.connection.client, 'udp', ip, MESH_PORT, 2000, 0);
          if (r.reachable) {
            result.reach.set(from.node.name, 'open');
            if (r.observedSource) result.observations.push({ node: from.node.name, observation: { observer: to.node.name, observed: r.observedSource, sourcePort: MESH_PORT, via: 'probe' } });
            return;
          }
        }
        result.reach.set(from.node.name, 'blocked');
      }),
    );
    return result;
  }
  if (!to.shell) return result;
  const live = senders.filter((s) => s.agent);
  const add = await to.shell.exec(counterAddScript(Object.fromEntries(live.map((s) => [s.node.name, sourceAddresses(s)])), MESH_PORT)).catch(() => null);
  if (!add || add.code !== 0) return result;
  result.method = 'counter';
  await Promise.all(live.map(async (from) => {
    for (let i = 0; i < 3; i += 1) for (const ip of ips) await probe(from.agent!.connection.client, 'udp', ip, MESH_PORT, 300, 0);
  }));
  const read = await to.shell.exec(counterReadScript).catch(() => null);
  const counts = parseCounters(read?.stdout ?? '');
  for (const from of live) {
    const n = counts.get(from.node.name);
    if (n !== undefined) result.reach.set(from.node.name, n > 0 && !localBlocks ? 'open' : 'blocked');
  }
  return result;
}

/**
 * NAT observations by probe: observers (nodes not behind NAT) answer on spare
 * ports, the node sends from one fixed port to two of them; two different
 * observed ports mean a port-randomising NAT.
 */
export async function natProbe(node: NodeRead, observers: NodeRead[]): Promise<NatObservation[]> {
  if (!node.agent) return [];
  const targets: Array<{ observer: NodeRead; ip: string; port: number }> = [];
  for (const [i, observer] of observers.slice(0, 2).entries()) {
    const ip = targetIps(observer)[0];
    if (!ip || !observer.agent) continue;
    const ports = observers.length === 1 ? [51821, 51822] : [51821 + i];
    for (const port of ports) if ((await openResponder(observer.agent.connection.client, 'udp', port, 10_000)).opened) targets.push({ observer, ip, port });
  }
  const out: NatObservation[] = [];
  for (const t of targets) {
    const r = await probe(node.agent.connection.client, 'udp', t.ip, t.port, 2000, 51823);
    if (r.reachable && r.observedSource) out.push({ observer: t.observer.node.name, observed: r.observedSource, sourcePort: 51823, via: 'probe' });
  }
  return out;
}

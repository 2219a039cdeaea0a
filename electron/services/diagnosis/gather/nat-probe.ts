import type { NatObservation } from '../evidence.js';
import { openResponder, probe } from './agent-calls.js';
import { targetIps, type NodeRead } from './node-read.js';

/** The source port NATed nodes probe from, and the observers' responder ports (agents allow only these: agent/shared/ports.ts). */
export const NAT_SOURCE_PORT = 51823;
export const OBSERVER_PORTS = [51821, 51822];

/** A responder on an observer that NATed nodes send to. */
export interface NatTarget {
  observer: string;
  ip: string;
  port: number;
}

/**
 * Opens UDP responders on up to two observers (nodes not behind NAT): two
 * ports on each when there is only one. A port already answered by a
 * responder of an earlier run still serves (any Spanwise responder echoes).
 */
export async function openNatTargets(observers: NodeRead[], durationMs: number): Promise<NatTarget[]> {
  const picked = observers.filter((o) => o.agent && targetIps(o)[0]).slice(0, 2);
  const targets = picked.flatMap((o, i) =>
    (picked.length === 1 ? OBSERVER_PORTS : [OBSERVER_PORTS[i] as number]).map((port) => ({ observer: o, ip: targetIps(o)[0] as string, port })),
  );
  const opened = await Promise.all(targets.map(async (t) => ({ t, r: await openResponder(t.observer.agent!.connection.client, 'udp', t.port, durationMs) })));
  return opened.filter(({ r }) => r.opened || r.error === 'EADDRINUSE').map(({ t }) => ({ observer: t.observer.node.name, ip: t.ip, port: t.port }));
}

/**
 * NAT observations by probe: the node sends from one fixed port to each
 * target in turn; what the observers saw tells the NAT apart (two different
 * observed ports mean a port-randomising NAT).
 */
export async function natProbe(node: NodeRead, targets: NatTarget[]): Promise<NatObservation[]> {
  if (!node.agent) return [];
  const out: NatObservation[] = [];
  for (const t of targets.filter((x) => x.observer !== node.node.name)) {
    const r = await probe(node.agent.connection.client, 'udp', t.ip, t.port, 1500, NAT_SOURCE_PORT);
    if (r.reachable && r.observedSource) out.push({ observer: t.observer, observed: r.observedSource, sourcePort: NAT_SOURCE_PORT, via: 'probe' });
  }
  return out;
}

import type { DiagnosisReport } from '../../electron/contract/index.js';
import { portLabels, type Cause, type PortKey, type Wall } from './cause.js';

/** A probe result at one hop: it passed, it was dropped here, it never got here, or nothing says. */
export type HopResult = 'pass' | 'drop' | 'not-reached' | 'unknown';

/** One place on a direction's way: a host firewall, a NAT or gateway, the public net, the other side. */
export interface Hop {
  kind: 'node' | 'host-firewall' | 'gateway' | 'public';
  label: string;
  detail: string;
  result: HopResult;
  /** Whose side of the public net it is on. */
  side: 'from' | 'to' | 'between';
  /** The wall at this hop that drops the direction, when one does. */
  wall: Wall | null;
}

/** One direction of a pair on one port, hop by hop. */
export interface Lane {
  from: string;
  to: string;
  key: PortKey;
  reach: 'open' | 'blocked' | 'unknown';
  hops: Hop[];
}

function gatewayHop(cause: Cause, node: string, side: 'from' | 'to'): Hop | null {
  const g = cause.gateways.find((x) => x.id === cause.gatewayOf.get(node));
  if (!g) return null;
  const nat = g.nat
    ? `NAT ${g.nat}${g.publicIp ? `, public ${g.publicIp}` : ''}${g.observed.length ? `, seen as ${[...new Set(g.observed)].join(', ')}` : ''}`
    : 'network firewall';
  return { kind: 'gateway', label: g.label, detail: `${nat} (${side === 'from' ? 'leaving' : 'entering'} ${g.site})`, result: 'pass', side, wall: null };
}

/** The hops of `from` -> `to` on one port, each with the result the probes give it, given the walls switched off. */
export function lane(report: DiagnosisReport, cause: Cause, from: string, to: string, key: PortKey, off: ReadonlySet<string> = new Set()): Lane {
  const flow = cause.flows.find((f) => f.from === from && f.to === to && f.key === key);
  const seen = report.matrix[key][from]?.[to] ?? 'unknown';
  const reach = flow && off.has(flow.wall) ? 'open' : seen;
  const wall = reach === 'blocked' ? (cause.walls.find((w) => w.id === flow?.wall) ?? null) : null;
  const hops: Hop[] = [
    { kind: 'node', label: from, detail: `sends ${portLabels[key]}`, result: 'pass', side: 'from', wall: null },
    { kind: 'host-firewall', label: `${from} firewall`, detail: 'outbound', result: 'pass', side: 'from', wall: null },
    gatewayHop(cause, from, 'from'),
    { kind: 'public', label: 'public net', detail: 'between sites', result: 'pass', side: 'between', wall: null },
    gatewayHop(cause, to, 'to'),
    { kind: 'host-firewall', label: `${to} firewall`, detail: 'inbound', result: 'pass', side: 'to', wall: null },
    { kind: 'node', label: to, detail: `listens on ${portLabels[key]}`, result: 'pass', side: 'to', wall: null },
  ].filter((h): h is Hop => h !== null);
  const dropAt = !wall
    ? -1
    : hops.findIndex((h) => h.kind === (wall.at === 'host' ? 'host-firewall' : 'gateway') && h.side === (wall.direction === 'outbound' ? 'from' : 'to'));
  hops.forEach((h, i) => {
    if (reach === 'unknown') h.result = 'unknown';
    else if (reach === 'blocked' && dropAt < 0) h.result = i === hops.length - 1 ? 'not-reached' : 'unknown';
    else if (dropAt >= 0 && i === dropAt) Object.assign(h, { result: 'drop', wall, detail: `${h.detail}: ${wall?.reason ?? 'dropped'}` });
    else if (dropAt >= 0 && i > dropAt) h.result = 'not-reached';
  });
  return { from, to, key, reach, hops };
}

/** The walls that drop either direction of a pair on a port: what "with the fix" switches off. */
export function pairWalls(cause: Cause, a: string, b: string, key: PortKey): string[] {
  return [...new Set(cause.flows.filter((f) => f.key === key && ((f.from === a && f.to === b) || (f.from === b && f.to === a))).map((f) => f.wall))];
}

/** The pair the path view shows, as the address names it; `b` is empty where the address does not name two nodes. */
export interface PathPair {
  a: string;
  b: string;
}

/** The pair a topology query names (`path=cloud2,dc1`), null for none. */
export function pathPair(query: string): PathPair | null {
  const value = new URLSearchParams(query).get('path');
  if (value === null) return null;
  const [a = '', b = '', ...rest] = value.split(',');
  return { a, b: rest.length > 0 ? '' : b };
}

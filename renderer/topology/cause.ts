import type { DiagnosisReport, Finding, MachineSummary, SiteKind } from '../../electron/contract/index.js';
import type { NatSummary } from '../../electron/contract/diagnosis.js';
import { reachCodes, reachGrid } from './reach-grid.js';

/** The two ports the mesh needs, by the matrix that holds their reachability. */
export type PortKey = 'udp51820' | 'tcp50000';
export const portLabels: Record<PortKey, string> = { udp51820: 'UDP 51820', tcp50000: 'TCP 50000' };

/** What stands on a site's border in front of some of its nodes: a NAT gateway, or a network firewall (security group) for one node. */
export interface Gateway {
  id: string;
  site: SiteKind;
  /** How it is shown: its name, else its address, else what it is. */
  label: string;
  /** The jump host's name: the inventory machine at its address, or its host when that is a name rather than an address. */
  name: string | null;
  /** The jump host's address, else the NAT's public address. */
  address: string | null;
  publicIp: string | null;
  /** The NAT's port behaviour, null where there is no NAT (a plain network firewall). */
  nat: NatSummary['kind'] | null;
  /** Node addresses as the other side sees them ("ip:port"). */
  observed: string[];
  nodes: string[];
}

/** A place where traffic stops: a host's own firewall, or a gateway, for one port and direction. */
export interface Wall {
  id: string;
  at: 'host' | 'gateway';
  /** The host's name, or the gateway's id. */
  place: string;
  key: PortKey;
  direction: 'inbound' | 'outbound';
  /** Why it drops, in a few words. */
  reason: string;
  /** The finding that names this block, whose fix opens it. */
  findingId: string | null;
}

/** One ordered pair's port that does not get through, and the wall that drops it. */
export interface BlockedFlow {
  from: string;
  to: string;
  key: PortKey;
  wall: string;
}

/** The diagnosis drawn as places: gateways, walls and the flows each wall stops. */
export interface Cause {
  gateways: Gateway[];
  /** Node name to the id of the gateway in front of it. */
  gatewayOf: Map<string, string>;
  walls: Wall[];
  flows: BlockedFlow[];
}

const inboundCodes: Record<PortKey, string> = { udp51820: 'UDP_51820_INBOUND_BLOCKED', tcp50000: 'TCP_50000_UNREACHABLE' };
const outboundCodes: Record<PortKey, string> = { udp51820: 'UDP_51820_OUTBOUND_BLOCKED', tcp50000: 'TCP_50000_OUTBOUND_BLOCKED' };

/** What the topology reads of a machine: its address, and the jump hosts that name its gateway. */
export type MachineJumps = Pick<MachineSummary, 'name' | 'jump'> & { ssh?: Pick<MachineSummary['ssh'], 'host'> };

const isAddress = (host: string): boolean => /^[\d.]+$/.test(host) || host.includes(':');

/** The name and address of the jump host in front of `node`: a machine of the inventory at that address gives its name. */
function jumpOf(node: string, machines: readonly MachineJumps[]): { name: string | null; address: string | null } | null {
  const host = machines.find((m) => m.name === node)?.jump.at(-1)?.host;
  if (!host) return null;
  if (!isAddress(host)) return { name: host, address: null };
  return { name: machines.find((m) => m.ssh?.host === host)?.name ?? null, address: host };
}

function gatewaysOf(nodes: Array<{ name: string; site: SiteKind }>, report: DiagnosisReport, machines: readonly MachineJumps[]): Gateway[] {
  const byId = new Map<string, Gateway>();
  for (const node of nodes) {
    const nat = report.nat?.[node.name];
    if (!nat?.behindNat) continue;
    const id = `${node.site}|${nat.publicIp ?? node.name}`;
    const jump = byId.has(id) ? null : jumpOf(node.name, machines);
    const name = jump?.name ?? null;
    const address = jump?.address ?? nat.publicIp;
    const gateway = byId.get(id) ?? {
      id,
      site: node.site,
      label: name ?? address ?? 'gateway',
      name,
      address,
      publicIp: nat.publicIp,
      nat: nat.kind,
      observed: [],
      nodes: [],
    };
    gateway.nodes.push(node.name);
    gateway.observed.push(...new Set(nat.observed));
    byId.set(id, gateway);
  }
  return [...byId.values()];
}

/** Places every blocked direction of both mesh ports at the wall that drops it, from the diagnosis's findings, matrices and NAT observations. */
export function causeOf(nodes: Array<{ name: string; site: SiteKind }>, report: DiagnosisReport | null, machines: readonly MachineJumps[] = []): Cause {
  if (!report) return { gateways: [], gatewayOf: new Map(), walls: [], flows: [] };
  const gateways = gatewaysOf(nodes, report, machines);
  const gatewayOf = new Map(gateways.flatMap((g) => g.nodes.map((n) => [n, g.id] as const)));
  const site = new Map(nodes.map((n) => [n.name, n.site]));
  const names = nodes.map((n) => n.name);
  const walls = new Map<string, Wall>();
  const flows: BlockedFlow[] = [];
  const wall = (w: Omit<Wall, 'id'>): string => {
    const id = `${w.at}:${w.place}:${w.key}:${w.direction}`;
    if (!walls.has(id)) walls.set(id, { id, ...w });
    return id;
  };
  const firewallFor = (node: string): string => {
    const id = `${site.get(node) ?? 'cloud'}|${node}`;
    if (!gateways.some((g) => g.id === id)) {
      const label = site.get(node) === 'cloud' ? `${node} security group` : `${node} network firewall`;
      gateways.push({ id, site: site.get(node) ?? 'cloud', label, name: label, address: null, publicIp: null, nat: null, observed: [], nodes: [node] });
      gatewayOf.set(node, id);
    }
    return id;
  };
  const byCode = new Map<string, Finding>();
  for (const f of report.findings) for (const n of f.nodes) if (!byCode.has(`${f.code}:${n}`)) byCode.set(`${f.code}:${n}`, f);
  const finding = (code: string, node: string) => byCode.get(`${code}:${node}`);
  const outWall = (key: PortKey, from: string, out: Finding): string =>
    out.where === 'host'
      ? wall({ at: 'host', place: from, key, direction: 'outbound', reason: `${from}'s firewall drops it going out`, findingId: out.id })
      : wall({
          at: 'gateway',
          place: gatewayOf.get(from) ?? firewallFor(from),
          key,
          direction: 'outbound',
          reason: 'dropped leaving the site',
          findingId: out.id,
        });
  const inWall = (key: PortKey, to: string, into: Finding | undefined): string => {
    if (into?.where === 'host') return wall({ at: 'host', place: to, key, direction: 'inbound', reason: `${to}'s own firewall drops it`, findingId: into.id });
    const gateway = gatewayOf.get(to);
    const reason = !gateway ? 'an upstream firewall drops it' : into ? 'the gateway drops it' : 'the NAT forwards nothing to it';
    const own = (f: Finding) => f.nodes.length === 1 && f.nodes[0] === to && f.remediation.changeRequest !== null;
    const fix = into ?? report.findings.find((f) => own(f) && (f.protocol ?? 'udp') === key.slice(0, 3)) ?? null;
    return wall({ at: 'gateway', place: gateway ?? firewallFor(to), key, direction: 'inbound', reason, findingId: fix?.id ?? null });
  };
  const grid = reachGrid(report, names);
  const n = names.length;
  for (const key of ['udp51820', 'tcp50000'] as const) {
    const codes = grid[key];
    const intoOf: Array<{ finding: Finding | undefined; wall: string | null } | undefined> = [];
    for (let i = 0; i < n; i++) {
      const from = names[i] as string;
      const out = finding(outboundCodes[key], from);
      let fromWall: string | null = null;
      for (let j = 0; j < n; j++) {
        if (codes[i * n + j] !== reachCodes.blocked || i === j) continue;
        const to = names[j] as string;
        let into = intoOf[j];
        if (!into) intoOf[j] = into = { finding: finding(inboundCodes[key], to), wall: null };
        const id = out && into.finding?.where !== 'host' ? (fromWall ??= outWall(key, from, out)) : (into.wall ??= inWall(key, to, into.finding));
        flows.push({ from, to, key, wall: id });
      }
    }
  }
  return { gateways, gatewayOf, walls: [...walls.values()], flows };
}

/** Where the wall stands in words: "dc-gw, inbound UDP 51820". */
export function wallTitle(cause: Cause, wall: Wall): string {
  const place = wall.at === 'host' ? `${wall.place}'s firewall` : (cause.gateways.find((g) => g.id === wall.place)?.label ?? wall.place);
  return `${place}, ${wall.direction} ${portLabels[wall.key]}`;
}

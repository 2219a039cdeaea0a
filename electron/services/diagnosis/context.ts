import type { Finding, FindingCode, Remediation, Severity } from '../../contract/diagnosis.js';
import type { PairState } from '../../contract/mesh.js';
import { isLinkLocal, isLoopback, parseIp, parsePrefix, prefixContains } from '../../../agent/shared/ip.js';
import type { Evidence, LocalVerdict, NodeEvidence, PairEvidence, Reach } from './evidence.js';
import { classifyNat, type NatClass } from './nat.js';

/** A probed port: UDP 51820 (the mesh) or TCP 50000 (the agent API). */
export type ProbedPort = 'udp51820' | 'tcp50000';

/** An address family of the underlay. */
export type Family = 4 | 6;

/** A node whose new outbound traffic to a port is dropped: the peers it cannot reach though others reach them, and its own output verdict. */
export interface Egress {
  targets: string[];
  local: LocalVerdict | null;
}

/** Lookups over the evidence that the rules share. Pure. */
export class DiagnosisContext {
  private readonly nodesByName = new Map<string, NodeEvidence>();
  private readonly pairsByKey = new Map<string, PairEvidence>();
  private readonly nats = new Map<string, NatClass>();
  private readonly egresses = new Map<string, Egress | null>();

  constructor(readonly evidence: Evidence) {
    for (const node of evidence.nodes) this.nodesByName.set(node.name, node);
    for (const pair of evidence.pairs) this.pairsByKey.set(`${pair.from}>${pair.to}`, pair);
  }

  get names(): string[] {
    return this.evidence.nodes.map((n) => n.name);
  }

  node(name: string): NodeEvidence {
    const node = this.nodesByName.get(name);
    if (!node) throw new Error(`no evidence for node ${name}`);
    return node;
  }

  pair(from: string, to: string): PairEvidence | undefined {
    return this.pairsByKey.get(`${from}>${to}`);
  }

  nat(name: string): NatClass {
    let nat = this.nats.get(name);
    if (!nat) this.nats.set(name, (nat = classifyNat(this.node(name))));
    return nat;
  }

  /**
   * UDP 51820 from `from` arriving at `to`: the probe when there is one; else
   * WireGuard's counters can show a block (from sent, to received nothing).
   * Counters never show "open": a pair can be up by hole punching.
   */
  udp(from: string, to: string): Reach {
    const probed = this.pair(from, to)?.udp51820 ?? 'unknown';
    if (probed !== 'unknown') return probed;
    return this.unanswered(from, to) ? 'blocked' : 'unknown';
  }

  /** Whether `from` sent to `to` and `to` received nothing from `from` (both agents read). */
  unanswered(from: string, to: string): boolean {
    const sent = this.pair(from, to)?.peer;
    const got = this.pair(to, from)?.peer;
    return !!sent && !!got && sent.tx > 0 && got.rx === 0 && sent.state !== 'up';
  }

  tcp(from: string, to: string): Reach {
    return this.pair(from, to)?.tcp50000 ?? 'unknown';
  }

  /** A port's reach from `from` into `to` over one family (IPv4: as `udp` and `tcp`). */
  reach(port: ProbedPort, from: string, to: string, family: Family = 4): Reach {
    if (family === 6) return this.pair(from, to)?.ipv6?.[port] ?? 'unknown';
    return port === 'udp51820' ? this.udp(from, to) : this.tcp(from, to);
  }

  /**
   * The reach that says something about `to`'s inbound side: a block from a
   * sender whose own outbound is dropped says nothing about `to`, so it reads unknown.
   */
  inbound(port: ProbedPort, from: string, to: string, family: Family = 4): Reach {
    const r = this.reach(port, from, to, family);
    return r === 'blocked' && this.egress(from, port, family) ? 'unknown' : r;
  }

  /**
   * Whether `name`'s new outbound traffic to a port is dropped (on the host or
   * upstream). Either its own output path blocks it and nothing off its LAN
   * is reached; or at least two peers that others off their LAN reach never
   * get it, while something shows the node's path out works (a peer reaches
   * the node, or its other probes leave: NAT probes for UDP, discovery for TCP).
   */
  egress(name: string, port: ProbedPort, family: Family = 4): Egress | null {
    const key = `${name}/${port}/${family}`;
    if (!this.egresses.has(key)) this.egresses.set(key, this.findEgress(name, port, family));
    return this.egresses.get(key) ?? null;
  }

  private findEgress(name: string, port: ProbedPort, family: Family): Egress | null {
    const others = this.names.filter((n) => n !== name);
    const reachedByOthers = (o: string) => this.names.some((p) => p !== name && p !== o && !this.sameLan(p, o) && this.reach(port, p, o, family) === 'open');
    const targets = others.filter((o) => this.reach(port, name, o, family) === 'blocked' && reachedByOthers(o));
    const opens = others.filter((o) => !this.sameLan(name, o) && this.reach(port, name, o, family) === 'open');
    const node = this.node(name);
    const local = (family === 4 ? node.firewall?.outbound?.[port] : undefined) ?? null;
    if (local?.verdict === 'block' && opens.length === 0) return { targets, local };
    if (targets.length < 2) return null;
    const pathOut =
      others.some((o) => this.reach(port, o, name, family) === 'open') ||
      (port === 'udp51820' ? node.nat.some((o) => o.via === 'probe') : node.discovery?.reachable === true);
    return pathOut ? { targets, local } : null;
  }

  /** Whether an own address of `a` lies in a prefix of `b`'s links (one LAN: no gateway between them); the mesh's own prefix does not count. */
  sameLan(a: string, b: string): boolean {
    const mesh = [a, b].flatMap((n) => parseIp(this.node(n).meshAddress ?? '') ?? []);
    const routable = (cidr: string) => {
      const p = parsePrefix(cidr);
      return p && !isLinkLocal(p.addr) && !isLoopback(p.addr) && !mesh.some((m) => prefixContains(p, m)) ? [p] : [];
    };
    const prefixes = this.node(b).addresses.flatMap(routable);
    const own = this.node(a)
      .addresses.filter((c) => routable(c).length > 0)
      .flatMap((c) => parseIp(c.split('/')[0] as string) ?? []);
    return own.some((ip) => prefixes.some((p) => prefixContains(p, ip)));
  }

  /** The pair's state from both views: down if either side sees it down, up if a side sees it up. */
  pairState(a: string, b: string): PairState {
    const views = [this.pair(a, b)?.peer?.state, this.pair(b, a)?.peer?.state];
    if (views.includes('down')) return 'down';
    if (views.includes('up')) return 'up';
    return 'unknown';
  }

  /** Another node's addresses as the cluster's nodes would send from (own and reflected). */
  sourceAddresses(name: string): string[] {
    const node = this.node(name);
    const own = node.addresses
      .map((a) => a.split('/')[0] as string)
      .filter((a) => !a.startsWith('fe80') && !a.startsWith('fd') && !a.startsWith('127.') && a !== '::1');
    const reflected = this.nat(name).publicIp;
    return [...new Set([...(reflected ? [reflected] : []), ...own])];
  }

  /** The address peers dial: the reflected public IP for a node behind NAT, else its first own address. */
  publicAddress(name: string): string | null {
    const nat = this.nat(name);
    if (nat.publicIp) return nat.publicIp;
    return this.sourceAddresses(name)[0] ?? null;
  }

  /** The node's main private address (first own IPv4 address). */
  ownAddress(name: string): string | null {
    return (
      this.node(name)
        .addresses.map((a) => a.split('/')[0] as string)
        .find((a) => a.includes('.') && !a.startsWith('127.')) ?? null
    );
  }
}

/** Builds a finding with its stable id (code plus nodes); each evidence sentence is kept once. */
export function finding(
  code: FindingCode,
  severity: Severity,
  nodes: string[],
  fields: Partial<Omit<Finding, 'id' | 'code' | 'severity' | 'nodes' | 'remediation'>> & { remediation: Remediation },
): Finding {
  return {
    id: [code, ...nodes].join(':'),
    code,
    severity,
    nodes,
    pair: fields.pair ?? null,
    port: fields.port ?? null,
    protocol: fields.protocol ?? null,
    where: fields.where ?? null,
    evidence: [...new Set(fields.evidence ?? [])],
    remediation: fields.remediation,
  };
}

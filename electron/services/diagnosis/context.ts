import type { Finding, FindingCode, Remediation, Severity } from '../../contract/diagnosis.js';
import type { PairState } from '../../contract/mesh.js';
import type { Evidence, NodeEvidence, PairEvidence, Reach } from './evidence.js';
import { classifyNat, type NatClass } from './nat.js';

/** Lookups over the evidence that the rules share. Pure. */
export class DiagnosisContext {
  private readonly nodesByName = new Map<string, NodeEvidence>();
  private readonly pairsByKey = new Map<string, PairEvidence>();
  private readonly nats = new Map<string, NatClass>();

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

/** Builds a finding with its stable id (code plus nodes). */
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
    evidence: fields.evidence ?? [],
    remediation: fields.remediation,
  };
}

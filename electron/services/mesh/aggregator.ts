import {
  pairCodes,
  pairStateOf,
  type MeshNode,
  type MeshPatch,
  type MeshSnapshot,
  type PairCode,
  type PairDetail,
  type RelayedCell,
} from '../../contract/mesh.js';
import { nodeHealth, clusterHealth } from './health.js';
import type { AgentLink, MeshNodeInfo, PeerObservation } from './types.js';

const UNKNOWN = pairCodes.unknown;
const UP = pairCodes.up;
const SELF = pairCodes.self;
const RELAYED = pairCodes.relayed;
/** Up, directly or through a relay: what the health scores count. */
const isUp = (code: number) => code === UP || code === RELAYED;

/** The view as the aggregator knows it: a snapshot without the cluster it is of. */
export type ViewSnapshot = Omit<MeshSnapshot, 'cluster'>;

/** Above this share of changed cells, a patch is replaced by a full snapshot. */
const PATCH_LIMIT_SHARE = 0.25;

/**
 * The N x N view of ordered pairs (from sees to), held in dense typed arrays
 * indexed `from * n + to`, so 500 nodes (250,000 pairs) take a few MB and a
 * round of updates touches no per-pair objects. Changes are collected as
 * dirty cells and nodes until `takePatch()`; per-node up counts (relayed
 * pairs are up) are kept incrementally for the health scores. The few relayed
 * cells keep their relay's name and since when, apart.
 */
export class MeshAggregator {
  readonly n: number;
  /** How many of the nodes Spanwise manages (their agents report rows). */
  private readonly managed: number;
  private readonly nodes: MeshNodeInfo[];
  private readonly index = new Map<string, number>();
  private readonly links: AgentLink[];
  private readonly state: Uint8Array;
  private readonly rx: Float64Array;
  private readonly tx: Float64Array;
  private readonly seenAt: Float64Array;
  private readonly rxRate: Float32Array;
  private readonly txRate: Float32Array;
  private readonly handshake: Float64Array;
  private readonly rtt: Float32Array;
  private readonly endpoints: (string | null)[];
  private readonly reasons: (string | null)[];
  /** Relay node name and since when (ms), by relayed cell. */
  private readonly relayed = new Map<number, { via: string; since: number }>();
  private relaysChanged = false;
  private readonly rowUp: Int32Array;
  private readonly colUp: Int32Array;
  private totalUp = 0;
  private readonly dirtyCell: Uint8Array;
  private readonly dirtyList: Int32Array;
  private dirtyCount = 0;
  private readonly dirtyNode: Uint8Array;
  private version = 0;
  private updatedAt = 0;

  /** `firstVersion`: where versions start, so a rebuilt view never goes back to a version a UI already has. */
  constructor(
    nodes: MeshNodeInfo[],
    private readonly now: () => number = Date.now,
    firstVersion = 0,
  ) {
    this.version = firstVersion;
    this.nodes = nodes.map((n) => ({ ...n }));
    this.n = nodes.length;
    this.managed = nodes.filter((node) => node.managed !== false).length;
    const cells = this.n * this.n;
    nodes.forEach((node, i) => this.index.set(node.name, i));
    this.links = nodes.map(() => ({ reachable: false, via: null, address: null, agentVersion: null }));
    this.state = new Uint8Array(cells);
    for (let i = 0; i < this.n; i += 1) this.state[i * this.n + i] = SELF;
    this.rx = new Float64Array(cells);
    this.tx = new Float64Array(cells);
    this.seenAt = new Float64Array(cells);
    this.rxRate = new Float32Array(cells);
    this.txRate = new Float32Array(cells);
    this.handshake = new Float64Array(cells);
    this.rtt = new Float32Array(cells).fill(Number.NaN);
    this.endpoints = new Array<string | null>(cells).fill(null);
    this.reasons = new Array<string | null>(cells).fill(null);
    this.rowUp = new Int32Array(this.n);
    this.colUp = new Int32Array(this.n);
    this.dirtyCell = new Uint8Array(cells);
    this.dirtyList = new Int32Array(cells);
    this.dirtyNode = new Uint8Array(this.n);
    this.updatedAt = now();
  }

  /**
   * A view over `nodes` (a changed node set) that keeps what `previous` knew of
   * the nodes in both and of the pairs between them, one version on.
   */
  static following(previous: MeshAggregator, nodes: MeshNodeInfo[], now: () => number = previous.now): MeshAggregator {
    const next = new MeshAggregator(nodes, now, previous.version + 1);
    const old = nodes.map((node) => previous.indexOf(node.name));
    old.forEach((i, ni) => {
      if (i >= 0) next.links[ni] = { ...(previous.links[i] as AgentLink) };
    });
    for (let from = 0; from < next.n; from += 1) {
      const of = old[from] as number;
      if (of < 0) continue;
      for (let to = 0; to < next.n; to += 1) {
        const ot = old[to] as number;
        if (ot < 0 || to === from) continue;
        next.copyCell(previous, of * previous.n + ot, from, to);
      }
    }
    next.dirtyCount = 0;
    next.dirtyCell.fill(0);
    next.dirtyNode.fill(0);
    next.relaysChanged = false;
    return next;
  }

  /** The version of the view as last taken or snapshotted. */
  get currentVersion(): number {
    return this.version;
  }

  /** Index of a node by name, or -1. */
  indexOf(name: string): number {
    return this.index.get(name) ?? -1;
  }

  nameOf(index: number): string | undefined {
    return this.nodes[index]?.name;
  }

  /** The node at `index` as the view was built over it. */
  info(index: number): MeshNodeInfo {
    return { ...(this.nodes[index] as MeshNodeInfo) };
  }

  /** Sets how the desktop reads a node's agent; an unreachable agent's row turns unknown (its view is stale). */
  setAgent(from: number, link: AgentLink): void {
    const old = this.links[from];
    if (!old) return;
    if (old.reachable !== link.reachable || old.via !== link.via || old.address !== link.address || old.agentVersion !== link.agentVersion) {
      this.links[from] = { ...link };
      this.dirtyNode[from] = 1;
    }
    if (!link.reachable) this.clearRow(from);
  }

  /** Sets a node's mesh address (from its identity). */
  setAddress(from: number, address: string | null): void {
    const link = this.links[from];
    if (link && link.address !== address) {
      link.address = address;
      this.dirtyNode[from] = 1;
    }
  }

  /** Applies one peer observation of `from` at time `atMs` (rates come from the counter deltas). */
  observe(from: number, peer: PeerObservation, atMs: number): void {
    const { n } = this;
    const to = peer.to;
    if (from === to || from < 0 || to < 0 || from >= n || to >= n) return;
    const cell = from * n + to;
    const prevAt = this.seenAt[cell] as number;
    if (prevAt > 0 && atMs > prevAt) {
      const seconds = (atMs - prevAt) / 1000;
      const drx = peer.rx - (this.rx[cell] as number);
      const dtx = peer.tx - (this.tx[cell] as number);
      this.rxRate[cell] = drx > 0 ? drx / seconds : 0;
      this.txRate[cell] = dtx > 0 ? dtx / seconds : 0;
    }
    this.seenAt[cell] = atMs;
    this.rx[cell] = peer.rx;
    this.tx[cell] = peer.tx;
    this.handshake[cell] = peer.lastHandshakeMs;
    this.endpoints[cell] = peer.endpoint;
    this.reasons[cell] = peer.reason;
    this.rtt[cell] = peer.rttMs ?? Number.NaN;
    this.setRelay(cell, peer.state === RELAYED ? peer.via : undefined, atMs);
    this.setState(from, to, cell, peer.state);
  }

  /** Applies a full list of `from`'s peers: pairs it no longer reports turn unknown. */
  replaceRow(from: number, peers: PeerObservation[], atMs: number): void {
    if (from < 0 || from >= this.n) return;
    const base = from * this.n;
    const seen = new Uint8Array(this.n);
    for (const peer of peers) {
      this.observe(from, peer, atMs);
      if (peer.to >= 0 && peer.to < this.n) seen[peer.to] = 1;
    }
    for (let to = 0; to < this.n; to += 1) if (to !== from && !seen[to]) this.forget(from, to, base + to);
  }

  /** Pairs of `from` towards nodes not in `reported` turn unknown (what `replaceRow` does after observing). */
  retainRow(from: number, reported: ReadonlySet<number>): void {
    if (from < 0 || from >= this.n) return;
    const base = from * this.n;
    for (let to = 0; to < this.n; to += 1) if (to !== from && !reported.has(to)) this.forget(from, to, base + to);
  }

  /** The state code of one ordered pair. */
  code(from: number, to: number): PairCode {
    return this.state[from * this.n + to] as PairCode;
  }

  /** Rates and RTT of one pair, for history samples. */
  sample(from: number, to: number): { state: PairCode; rxRate: number; txRate: number; rttMs: number | null; seen: boolean } {
    const cell = from * this.n + to;
    const rtt = this.rtt[cell] as number;
    return {
      state: this.state[cell] as PairCode,
      rxRate: this.rxRate[cell] as number,
      txRate: this.txRate[cell] as number,
      rttMs: Number.isNaN(rtt) ? null : rtt,
      seen: (this.seenAt[cell] as number) > 0,
    };
  }

  /** Everything known about one pair except its history. */
  detail(from: number, to: number): Omit<PairDetail, 'history'> {
    const cell = from * this.n + to;
    const handshake = this.handshake[cell] as number;
    const rtt = this.rtt[cell] as number;
    return {
      from: this.nodes[from]?.name ?? '',
      to: this.nodes[to]?.name ?? '',
      state: pairStateOf(this.state[cell] as number),
      endpoint: this.endpoints[cell] ?? null,
      lastHandshake: handshake > 0 ? new Date(handshake).toISOString() : null,
      rxRate: this.rxRate[cell] as number,
      txRate: this.txRate[cell] as number,
      rx: this.rx[cell] as number,
      tx: this.tx[cell] as number,
      rttMs: Number.isNaN(rtt) ? null : rtt,
      via: this.relayed.get(cell)?.via ?? null,
      relayedSince: this.relayed.has(cell) ? new Date(this.relayed.get(cell)?.since as number).toISOString() : null,
      reason: this.reasons[cell] ?? null,
    };
  }

  /** Every relayed cell with its relay, by index. */
  relays(): RelayedCell[] {
    return [...this.relayed].sort(([a], [b]) => a - b).map(([cell, r]) => [cell, r.via]);
  }

  /** The whole view at the current version. */
  snapshot(): ViewSnapshot {
    const relays = this.relays();
    return {
      version: this.version,
      nodes: this.nodes.map((_, i) => this.meshNode(i)),
      cells: Array.from(this.state) as PairCode[],
      ...(relays.length ? { relays } : {}),
      clusterHealth: this.clusterHealth(),
      updatedAt: new Date(this.updatedAt).toISOString(),
    };
  }

  /** Whether changes are waiting for `takePatch()`. */
  hasChanges(): boolean {
    return this.dirtyCount > 0 || this.relaysChanged || this.dirtyNode.some((d) => d === 1);
  }

  /**
   * Takes the changes since the last call as a patch (the version grows by one),
   * or as a snapshot when more than a quarter of the cells changed; null when nothing changed.
   */
  takePatch(): { kind: 'patch'; patch: MeshPatch } | { kind: 'snapshot'; snapshot: ViewSnapshot } | null {
    if (!this.hasChanges()) return null;
    this.version += 1;
    this.updatedAt = this.now();
    const large = this.dirtyCount > PATCH_LIMIT_SHARE * this.n * this.n;
    const cells: Array<[number, PairCode]> = large ? [] : new Array(this.dirtyCount);
    for (let k = 0; k < this.dirtyCount; k += 1) {
      const cell = this.dirtyList[k] as number;
      this.dirtyCell[cell] = 0;
      if (!large) cells[k] = [cell, this.state[cell] as PairCode];
    }
    this.dirtyCount = 0;
    const nodes: MeshNode[] = [];
    for (let i = 0; i < this.n; i += 1) {
      if (this.dirtyNode[i]) nodes.push(this.meshNode(i));
      this.dirtyNode[i] = 0;
    }
    const relays = this.relaysChanged ? { relays: this.relays() } : {};
    this.relaysChanged = false;
    if (large) return { kind: 'snapshot', snapshot: this.snapshot() };
    return {
      kind: 'patch',
      patch: { version: this.version, cells, ...relays, nodes, clusterHealth: this.clusterHealth(), updatedAt: new Date(this.updatedAt).toISOString() },
    };
  }

  private meshNode(i: number): MeshNode {
    const node = this.nodes[i] as MeshNodeInfo;
    const link = this.links[i] as AgentLink;
    const managed = node.managed !== false;
    return {
      name: node.name,
      site: node.site,
      role: node.role,
      health: nodeHealth(this.rowUp[i] as number, this.colUp[i] as number, managed ? this.n - 1 : 0, this.managed - (managed ? 1 : 0), link.reachable),
      agentReachable: link.reachable,
      via: link.via,
      address: link.address,
      agentVersion: link.agentVersion,
      managed,
    };
  }

  private clusterHealth(): number {
    return clusterHealth(
      this.totalUp,
      this.managed * (this.n - 1),
      this.links.some((l) => l.reachable),
    );
  }

  private copyCell(previous: MeshAggregator, src: number, from: number, to: number): void {
    const cell = from * this.n + to;
    this.rx[cell] = previous.rx[src] as number;
    this.tx[cell] = previous.tx[src] as number;
    this.seenAt[cell] = previous.seenAt[src] as number;
    this.rxRate[cell] = previous.rxRate[src] as number;
    this.txRate[cell] = previous.txRate[src] as number;
    this.handshake[cell] = previous.handshake[src] as number;
    this.rtt[cell] = previous.rtt[src] as number;
    this.endpoints[cell] = previous.endpoints[src] ?? null;
    this.reasons[cell] = previous.reasons[src] ?? null;
    const relay = previous.relayed.get(src);
    if (relay) this.relayed.set(cell, { ...relay });
    this.setState(from, to, cell, previous.state[src] as number);
  }

  private clearRow(from: number): void {
    const base = from * this.n;
    for (let to = 0; to < this.n; to += 1) if (to !== from) this.forget(from, to, base + to);
  }

  private forget(from: number, to: number, cell: number): void {
    this.rxRate[cell] = 0;
    this.txRate[cell] = 0;
    this.rtt[cell] = Number.NaN;
    this.setRelay(cell, undefined, 0);
    this.setState(from, to, cell, UNKNOWN);
  }

  /** Keeps the relay of a relayed cell (undefined: not relayed); a new relay starts its `since` at `atMs`. */
  private setRelay(cell: number, via: string | undefined, atMs: number): void {
    if (this.relayed.get(cell)?.via === via) return;
    if (via === undefined) this.relayed.delete(cell);
    else this.relayed.set(cell, { via, since: atMs });
    this.relaysChanged = true;
  }

  private setState(from: number, to: number, cell: number, next: number): void {
    const prev = this.state[cell] as number;
    if (prev === next) return;
    this.state[cell] = next;
    const delta = (isUp(next) ? 1 : 0) - (isUp(prev) ? 1 : 0);
    if (delta !== 0) {
      this.rowUp[from] = (this.rowUp[from] as number) + delta;
      this.colUp[to] = (this.colUp[to] as number) + delta;
      this.totalUp += delta;
      this.dirtyNode[from] = 1;
      this.dirtyNode[to] = 1;
    }
    if (!this.dirtyCell[cell]) {
      this.dirtyCell[cell] = 1;
      this.dirtyList[this.dirtyCount] = cell;
      this.dirtyCount += 1;
    }
  }
}

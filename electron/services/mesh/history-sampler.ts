import { pairCodes, pairStateOf } from '../../contract/mesh.js';
import type { PairSampleRow } from '../store/mesh-history.js';
import type { MeshAggregator } from './aggregator.js';

/**
 * Decides which pairs to write to history on each tick: a pair whose state
 * changed since its last sample, and any pair with data whose last sample is
 * older than `everyMs`. Pairs never observed are not written.
 */
export class HistorySampler {
  private readonly lastAt: Float64Array;
  private readonly lastState: Uint8Array;

  /** `previous`: the sampler of the view this one follows (same cluster); pairs in both keep when they were last written. */
  constructor(
    private readonly aggregator: MeshAggregator,
    private readonly everyMs = 60_000,
    previous?: HistorySampler,
  ) {
    const { n } = aggregator;
    this.lastAt = new Float64Array(n * n);
    this.lastState = new Uint8Array(n * n).fill(255);
    if (!previous) return;
    const old = Array.from({ length: n }, (_, i) => previous.aggregator.indexOf(aggregator.nameOf(i) as string));
    const on = previous.aggregator.n;
    for (let from = 0; from < n; from += 1) {
      for (let to = 0; to < n; to += 1) {
        const of = old[from] as number;
        const ot = old[to] as number;
        if (of < 0 || ot < 0) continue;
        this.lastAt[from * n + to] = previous.lastAt[of * on + ot] as number;
        this.lastState[from * n + to] = previous.lastState[of * on + ot] as number;
      }
    }
  }

  /** The rows due at `nowMs`; marks them as sampled. */
  due(nowMs: number): PairSampleRow[] {
    const { n } = this.aggregator;
    const rows: PairSampleRow[] = [];
    for (let from = 0; from < n; from += 1) {
      for (let to = 0; to < n; to += 1) {
        if (from === to) continue;
        const cell = from * n + to;
        const s = this.aggregator.sample(from, to);
        const changed = s.state !== this.lastState[cell];
        if (!changed && (!s.seen || nowMs - (this.lastAt[cell] as number) < this.everyMs)) continue;
        if (!s.seen && this.lastState[cell] === 255 && s.state === pairCodes.unknown) continue;
        this.lastAt[cell] = nowMs;
        this.lastState[cell] = s.state;
        rows.push({
          from: this.aggregator.nameOf(from) as string,
          to: this.aggregator.nameOf(to) as string,
          at: nowMs,
          state: pairStateOf(s.state),
          rxRate: s.rxRate,
          txRate: s.txRate,
          rttMs: s.rttMs,
        });
      }
    }
    return rows;
  }
}

// The mesh aggregator fed 500 simulated nodes (250,000 ordered pairs).
// Figures: process RSS with the view built and updated (baseline: the same process before it was
// built), and the time to apply one round of updates from all 500 nodes, including taking the patch
// (baseline, same run: a naive aggregator with a Map of per-pair objects keyed by names, diffed
// against the previous round to find changes).
import { MeshAggregator } from '../electron/services/mesh/aggregator.js';
import type { MeshNodeInfo, PeerObservation } from '../electron/services/mesh/types.js';
import { percentile, report } from './report.js';

const N = 500;
const ROUNDS = 10;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const mb = (bytes: number) => bytes / (1 << 20);

const nodes: MeshNodeInfo[] = Array.from({ length: N }, (_, i) => ({
  name: `node-${i}`,
  site: i % 3 === 0 ? 'cloud' : i % 3 === 1 ? 'datacenter' : 'edge',
  role: 'worker',
}));

/** Two alternating rounds of observations per node, built up front as decoded agent messages would be. */
function rounds(): PeerObservation[][][] {
  return [0, 1].map((r) =>
    Array.from({ length: N }, (_, from) =>
      Array.from({ length: N - 1 }, (_, k) => {
        const to = k < from ? k : k + 1;
        const flip = (from * 7 + to + r) % 50 === 0;
        return {
          to,
          state: (flip ? 2 : 1) as 0 | 1 | 2,
          endpoint: `198.18.${to >> 8}.${to & 255}:51820`,
          lastHandshakeMs: 1_700_000_000_000 + r * 10_000,
          rx: 1000 * (r + 1) + to,
          tx: 2000 * (r + 1) + from,
          reason: null,
          rttMs: flip ? null : 0.5 + (to % 7),
        };
      }),
    ),
  );
}

gc();
const emptyRss = process.memoryUsage().rss;
const input = rounds();
gc();
const inputRss = process.memoryUsage().rss;

const aggregator = new MeshAggregator(nodes);
const times: number[] = [];
let at = 1_700_000_000_000;
for (let round = 0; round < ROUNDS; round += 1) {
  const data = input[round % 2] as PeerObservation[][];
  at += 10_000;
  const start = performance.now();
  for (let from = 0; from < N; from += 1) for (const peer of data[from] as PeerObservation[]) aggregator.observe(from, peer, at);
  aggregator.takePatch();
  times.push(performance.now() - start);
}
gc();
const oursRss = process.memoryUsage().rss;

/** The naive baseline: nested Maps of fresh objects per pair, diffed against the last round. */
class NaiveAggregator {
  pairs = new Map<
    string,
    Map<string, { state: number; endpoint: string | null; rx: number; tx: number; rxRate: number; txRate: number; handshake: number; at: number }>
  >();
  last = new Map<string, number>();
  apply(from: string, peer: PeerObservation, atMs: number): void {
    let row = this.pairs.get(from);
    if (!row) this.pairs.set(from, (row = new Map()));
    const to = nodes[peer.to]?.name as string;
    const prev = row.get(to);
    const seconds = prev ? (atMs - prev.at) / 1000 : 0;
    row.set(to, {
      state: peer.state,
      endpoint: peer.endpoint,
      rx: peer.rx,
      tx: peer.tx,
      rxRate: prev && seconds > 0 ? Math.max(0, peer.rx - prev.rx) / seconds : 0,
      txRate: prev && seconds > 0 ? Math.max(0, peer.tx - prev.tx) / seconds : 0,
      handshake: peer.lastHandshakeMs,
      at: atMs,
    });
  }
  patch(): Array<[string, number]> {
    const changed: Array<[string, number]> = [];
    for (const [from, row] of this.pairs)
      for (const [to, pair] of row) {
        const key = `${from}>${to}`;
        if (this.last.get(key) !== pair.state) changed.push([key, pair.state]);
        this.last.set(key, pair.state);
      }
    return changed;
  }
}

const naive = new NaiveAggregator();
const naiveTimes: number[] = [];
at = 1_700_000_000_000;
for (let round = 0; round < ROUNDS; round += 1) {
  const data = input[round % 2] as PeerObservation[][];
  at += 10_000;
  const start = performance.now();
  for (let from = 0; from < N; from += 1) for (const peer of data[from] as PeerObservation[]) naive.apply(nodes[from]?.name as string, peer, at);
  naive.patch();
  naiveTimes.push(performance.now() - start);
}
gc();
const naiveRss = process.memoryUsage().rss;

report(`aggregator ${N} nodes (${N * N} pairs): process RSS`, mb(oursRss), 'MB', mb(emptyRss), '< 300 MB');
report(
  `aggregator ${N} nodes: RSS added by the view (excluding the simulated input)`,
  mb(oursRss - inputRss),
  'MB',
  mb(naiveRss - oursRss),
  'baseline = RSS added by the naive Map aggregator',
);
report(`aggregator ${N} nodes: apply one round of updates + patch (p50)`, percentile(times, 50), 'ms', percentile(naiveTimes, 50), '< 200 ms');
report(`aggregator ${N} nodes: apply one round of updates + patch (max)`, Math.max(...times), 'ms', Math.max(...naiveTimes), '< 200 ms');
console.log(
  `baseline: RSS line 1 = the same process before building the view; time lines = a naive Map-of-objects aggregator (same run, same input); ${ROUNDS} rounds, 2% of pairs change state per round`,
);

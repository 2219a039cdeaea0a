import type { MeshAggregator } from '../../electron/services/mesh/aggregator.js';
import type { MeshSource } from '../../electron/services/mesh/mesh-source.js';

/**
 * A fake mesh source, with no agents behind it: the nodes named in
 * `reporting` answer as running agents would, with every pair among them up;
 * every other node does not report, as a machine whose agent is not running.
 */
export class FakeMeshSource implements MeshSource {
  constructor(private readonly reporting: ReadonlySet<string>) {}

  follow(aggregator: MeshAggregator): void {
    const now = Date.now();
    const live = Array.from({ length: aggregator.n }, (_, i) => i).filter((i) => this.reporting.has(aggregator.nameOf(i) as string));
    for (const i of live) aggregator.setAgent(i, { reachable: true, via: 'direct', address: `fd00::${i + 1}`, agentVersion: '0.0.0-fake' });
    for (const from of live) {
      for (const to of live)
        if (from !== to) aggregator.observe(from, { to, state: 1, endpoint: null, lastHandshakeMs: now, rx: 0, tx: 0, reason: null, rttMs: null }, now);
    }
  }

  refresh(): void {}

  agent(): undefined {
    return undefined;
  }

  async settled(): Promise<void> {}

  async stop(): Promise<void> {}
}

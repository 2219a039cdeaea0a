import { describe, expect, it } from 'vitest';
import type { MeshSnapshot } from '../../electron/contract/index.js';
import { hybridJumps, hybridReport, hybridSnapshot } from '../support/diagnosis-fixtures/hybrid-report.js';
import { simulatedReport, simulatedSnapshot } from '../browser/mesh-fixtures.js';
import { causeOf } from '../../renderer/topology/cause.js';
import { isUp, linksOf, meshPair, type MeshCells } from '../../renderer/topology/links.js';
import { reachCodes, reachGrid } from '../../renderer/topology/reach-grid.js';
import { predict } from '../../renderer/topology/what-if.js';

const viewOf = (snapshot: MeshSnapshot): MeshCells => ({ nodes: snapshot.nodes, cells: Uint8Array.from(snapshot.cells) });

describe('reach grid', () => {
  it('reads both matrices once into codes by node index, unknown for a node the diagnosis does not name', () => {
    const snapshot = simulatedSnapshot(30);
    const report = simulatedReport(snapshot);
    const names = [...snapshot.nodes.map((n) => n.name), 'new-node'];
    const grid = reachGrid(report, names);
    const n = names.length;
    const code = { open: reachCodes.open, blocked: reachCodes.blocked, unknown: reachCodes.unknown };
    for (const key of ['udp51820', 'tcp50000'] as const)
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) expect(grid[key][i * n + j]).toBe(code[report.matrix[key][names[i] as string]?.[names[j] as string] ?? 'unknown']);
    expect(grid.udp51820.filter((c) => c === reachCodes.blocked).length).toBeGreaterThan(0);
    expect(reachGrid(report, [...names])).toBe(grid);
    expect(reachGrid(simulatedReport(snapshot), names)).not.toBe(grid);
  });
});

describe('links', () => {
  it("draws each pair in the state the diagnosis as it stands predicts where the mesh has it up (fragile), else the mesh's", () => {
    for (const [snapshot, report, jumps] of [
      [hybridSnapshot(), hybridReport(), hybridJumps],
      [simulatedSnapshot(60), null, []],
    ] as const) {
      const r = report ?? simulatedReport(snapshot);
      const view = viewOf(snapshot);
      const names = snapshot.nodes.map((n) => n.name);
      const cloud = names.filter((n) => n.startsWith('cloud-'));
      if (!report) (r.matrix.udp51820[cloud[0] as string] as Record<string, string>)[cloud[1] as string] = 'blocked';
      const now = predict(r, causeOf(snapshot.nodes, r, jumps), new Set(), names, (a, b) => isUp(meshPair(view, a, b)));
      const { links, hiddenUp } = linksOf(view, reachGrid(r, names).udp51820, null);
      const drawn = new Map(links.map((l) => [`${l.a}|${l.b}`, l.state]));
      let fragile = 0;
      names.forEach((a, i) =>
        names.slice(i + 1).forEach((b, k) => {
          const j = i + 1 + k;
          const mesh = meshPair(view, i, j);
          const expected = mesh === 'up' && now.at(i, j) === 'fragile' ? 'fragile' : mesh;
          if (expected === 'fragile' && mesh === 'up') fragile += 1;
          expect(drawn.get(`${a}|${b}`) ?? (hiddenUp > 0 ? 'up' : 'missing'), `${a}|${b}`).toBe(expected);
        }),
      );
      expect(fragile).toBeGreaterThan(0);
    }
  });
});

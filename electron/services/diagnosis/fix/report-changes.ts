import type { CellChange, DiagnosisReport, MatrixPairState, PairChange, ReachabilityMatrix, ReportChanges } from '../../../contract/diagnosis.js';

type Reach = CellChange['before'];
const ports = ['udp51820', 'tcp50000'] as const;
const portNames: Record<CellChange['port'], string> = { udp51820: 'UDP 51820', tcp50000: 'TCP 50000' };

/** A pair's state from its two UDP 51820 directions. */
export function matrixPairState(ab: Reach | undefined, ba: Reach | undefined): MatrixPairState {
  const open = (ab === 'open' ? 1 : 0) + (ba === 'open' ? 1 : 0);
  const blocked = (ab === 'blocked' ? 1 : 0) + (ba === 'blocked' ? 1 : 0);
  if (open === 2) return 'up';
  if (open === 1) return blocked === 1 ? 'fragile' : 'up';
  return blocked === 2 ? 'down' : 'unknown';
}

function cellChanges(port: CellChange['port'], before: ReachabilityMatrix, after: ReachabilityMatrix): CellChange[] {
  const changes: CellChange[] = [];
  const rows = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const from of rows) {
    const cols = [...new Set([...Object.keys(before[from] ?? {}), ...Object.keys(after[from] ?? {})])].sort();
    for (const to of cols) {
      const was = before[from]?.[to] ?? 'unknown';
      const now = after[from]?.[to] ?? 'unknown';
      if (from !== to && was !== now) changes.push({ port, from, to, before: was, after: now });
    }
  }
  return changes;
}

function pairChanges(before: ReachabilityMatrix, after: ReachabilityMatrix): PairChange[] {
  const nodes = [...new Set([before, after].flatMap((m) => Object.entries(m).flatMap(([from, row]) => [from, ...Object.keys(row)])))].sort();
  const state = (m: ReachabilityMatrix, a: string, b: string) => matrixPairState(m[a]?.[b], m[b]?.[a]);
  const changes: PairChange[] = [];
  nodes.forEach((a, i) => {
    for (const b of nodes.slice(i + 1)) {
      const was = state(before, a, b);
      const now = state(after, a, b);
      if (was !== now) changes.push({ a, b, before: was, after: now });
    }
  });
  return changes;
}

/** What changed from one diagnosis to the next: the cells of both IPv4 matrices, and the pair states UDP 51820 gives. Pure. */
export function reportChanges(before: DiagnosisReport, after: DiagnosisReport): ReportChanges {
  return {
    cells: ports.flatMap((port) => cellChanges(port, before.matrix[port], after.matrix[port])),
    pairs: pairChanges(before.matrix.udp51820, after.matrix.udp51820),
  };
}

/** One line a change, e.g. `cloud1 -> cloud2 UDP 51820: blocked -> open`, then `cloud1/cloud2: down -> up`. */
export function changeLines(changes: ReportChanges): string[] {
  return [
    ...changes.cells.map((c) => `${c.from} -> ${c.to} ${portNames[c.port]}: ${c.before} -> ${c.after}`),
    ...changes.pairs.map((p) => `${p.a}/${p.b}: ${p.before} -> ${p.after}`),
  ];
}

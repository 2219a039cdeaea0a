import type { DiagnosisReport } from '../../electron/contract/index.js';
import type { PortKey } from './cause.js';

/** A direction's reachability as a code: what the matrix cell says, anything but open or blocked being unknown. */
export const reachCodes = { open: 0, blocked: 1, unknown: 2 } as const;

/** Both mesh ports' matrices read once into codes by node index: `grid[key][i * n + j]` is i -> j. */
export interface ReachGrid {
  n: number;
  udp51820: Uint8Array;
  tcp50000: Uint8Array;
}

const codeOf = (cell: unknown): number => (cell === 'open' ? reachCodes.open : cell === 'blocked' ? reachCodes.blocked : reachCodes.unknown);

function read(matrix: DiagnosisReport['matrix'][PortKey], names: readonly string[]): Uint8Array {
  const n = names.length;
  const grid = new Uint8Array(n * n).fill(reachCodes.unknown);
  for (let i = 0; i < n; i++) {
    const row = matrix[names[i] as string];
    if (row) for (let j = 0; j < n; j++) grid[i * n + j] = codeOf(row[names[j] as string]);
  }
  return grid;
}

let last: { report: DiagnosisReport; names: readonly string[]; grid: ReachGrid } | null = null;
const same = (a: readonly string[], b: readonly string[]): boolean => a === b || (a.length === b.length && a.every((x, i) => x === b[i]));

/** The report's two matrices as codes over `names`, read once per report and node list however many parts ask. */
export function reachGrid(report: DiagnosisReport, names: readonly string[]): ReachGrid {
  if (last && last.report === report && same(last.names, names)) return last.grid;
  const grid = { n: names.length, udp51820: read(report.matrix.udp51820, names), tcp50000: read(report.matrix.tcp50000, names) };
  last = { report, names, grid };
  return grid;
}

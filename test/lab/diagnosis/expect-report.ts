import { expect } from 'vitest';
import type { DiagnosisReport, Finding } from '../../../electron/contract/diagnosis.js';
import { getScenario } from '../scenarios/index.js';

/** Findings of severity warning or error, by id. */
export const serious = (report: DiagnosisReport): string[] =>
  report.findings
    .filter((f) => f.severity !== 'info')
    .map((f) => f.id)
    .sort();

/** The finding with `id`; fails the test when it is missing. */
export function findingOf(report: DiagnosisReport, id: string): Finding {
  const found = report.findings.find((f) => f.id === id);
  if (!found) throw new Error(`no finding ${id}; found ${report.findings.map((f) => f.id).join(', ')}`);
  return found;
}

/**
 * The matrix has a known value for every ordered pair of `nodes` (and the
 * desktop row for TCP 50000), and agrees with every cell of the scenario's
 * reachability table on UDP 51820 and TCP 50000 between them.
 */
export function expectMatrixOfScenario(report: DiagnosisReport, scenario: string, nodes: string[]): void {
  const { udp51820, tcp50000 } = report.matrix;
  for (const from of nodes) {
    for (const to of nodes) {
      if (from === to) continue;
      expect(udp51820[from]?.[to], `udp ${from}>${to}`).toMatch(/^(open|blocked)$/);
      expect(tcp50000[from]?.[to], `tcp ${from}>${to}`).toMatch(/^(open|blocked)$/);
    }
    expect(tcp50000.desktop?.[from], `tcp desktop>${from}`).toMatch(/^(open|blocked)$/);
  }
  let checked = 0;
  for (const cell of getScenario(scenario).reachability) {
    const matrix = cell.proto === 'udp' && cell.port === 51820 ? udp51820 : cell.proto === 'tcp' && cell.port === 50000 ? tcp50000 : null;
    if (!matrix || !nodes.includes(cell.to) || (cell.from !== 'desktop' && !nodes.includes(cell.from))) continue;
    expect(matrix[cell.from]?.[cell.to], `${cell.proto} ${cell.port} ${cell.from}>${cell.to}: ${cell.why ?? ''}`).toBe(cell.reachable ? 'open' : 'blocked');
    checked += 1;
  }
  expect(checked).toBeGreaterThan(0);
}

import { describe, expect, it } from 'vitest';
import type { DiagnosisReport, ReachabilityMatrix } from '../../../contract/diagnosis.js';
import { changeLines, matrixPairState, reportChanges } from './report-changes.js';

const reportOf = (udp51820: ReachabilityMatrix, tcp50000: ReachabilityMatrix = { desktop: {} }): DiagnosisReport => ({
  generatedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1,
  findings: [],
  causes: [],
  matrix: { udp51820, tcp50000 },
});

describe('the changes between two diagnoses', () => {
  it('names the pair state each pair of UDP 51820 directions gives', () => {
    expect(matrixPairState('open', 'open')).toBe('up');
    expect(matrixPairState('open', 'blocked')).toBe('fragile');
    expect(matrixPairState('unknown', 'open')).toBe('up');
    expect(matrixPairState('blocked', 'blocked')).toBe('down');
    expect(matrixPairState('blocked', 'unknown')).toBe('unknown');
    expect(matrixPairState(undefined, undefined)).toBe('unknown');
  });

  it('lists the cells and pairs a fix turned green, and nothing that stayed the same', () => {
    const before = reportOf(
      { cloud1: { cloud2: 'blocked', dc1: 'open' }, cloud2: { cloud1: 'blocked', dc1: 'open' }, dc1: { cloud1: 'open', cloud2: 'open' } },
      { desktop: { cloud1: 'open', cloud2: 'blocked' }, cloud1: { cloud2: 'open' }, cloud2: { cloud1: 'open' } },
    );
    const after = reportOf(
      { cloud1: { cloud2: 'open', dc1: 'open' }, cloud2: { cloud1: 'blocked', dc1: 'open' }, dc1: { cloud1: 'open', cloud2: 'open' } },
      { desktop: { cloud1: 'open', cloud2: 'open' }, cloud1: { cloud2: 'open' }, cloud2: { cloud1: 'open' } },
    );
    const changes = reportChanges(before, after);
    expect(changes).toEqual({
      cells: [
        { port: 'udp51820', from: 'cloud1', to: 'cloud2', before: 'blocked', after: 'open' },
        { port: 'tcp50000', from: 'desktop', to: 'cloud2', before: 'blocked', after: 'open' },
      ],
      pairs: [{ a: 'cloud1', b: 'cloud2', before: 'down', after: 'fragile' }],
    });
    expect(changeLines(changes)).toEqual([
      'cloud1 -> cloud2 UDP 51820: blocked -> open',
      'desktop -> cloud2 TCP 50000: blocked -> open',
      'cloud1/cloud2: down -> fragile',
    ]);
  });

  it('reads an undo the other way round, and a node only one report has as unknown in the other', () => {
    const fixed = reportOf({ cloud1: { cloud2: 'open' }, cloud2: { cloud1: 'open' } });
    const undone = reportOf({ cloud1: { cloud2: 'open', edge1: 'blocked' }, cloud2: { cloud1: 'blocked' }, edge1: { cloud1: 'blocked' } });
    expect(changeLines(reportChanges(fixed, undone))).toEqual([
      'cloud1 -> edge1 UDP 51820: unknown -> blocked',
      'cloud2 -> cloud1 UDP 51820: open -> blocked',
      'edge1 -> cloud1 UDP 51820: unknown -> blocked',
      'cloud1/cloud2: up -> fragile',
      'cloud1/edge1: unknown -> down',
    ]);
    expect(reportChanges(fixed, fixed)).toEqual({ cells: [], pairs: [] });
  });
});

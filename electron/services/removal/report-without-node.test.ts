import { describe, expect, it } from 'vitest';
import type { DiagnosisReport, Finding } from '../../contract/diagnosis.js';
import { reportWithoutNode } from './report-without-node.js';

const remediation = { summary: 'open it', hostFixes: [], changeRequest: null };
const finding = (id: string, nodes: string[], pair: Finding['pair'] = null): Finding => ({
  id,
  code: 'UDP_51820_INBOUND_BLOCKED',
  severity: 'error',
  nodes,
  pair,
  port: 51820,
  protocol: 'udp',
  where: 'host',
  evidence: [],
  remediation,
});
const cause = (id: string, nodes: string[], pairs: Array<{ from: string; to: string }>) => ({
  id,
  code: 'UDP_51820_INBOUND_BLOCKED' as const,
  severity: 'error' as const,
  title: id,
  impact: '',
  findings: [id],
  nodes,
  pairs,
  remediation,
  evidence: [],
});

describe('a diagnosis report without a removed node', () => {
  it('drops the findings, causes, matrix rows and columns and NAT of the node, and keeps the rest', () => {
    const matrix = { a: { b: 'open', edge1: 'blocked' }, b: { a: 'open', edge1: 'open' }, edge1: { a: 'blocked', b: 'open' } } as const;
    const report: DiagnosisReport = {
      generatedAt: '2026-01-01T00:00:00Z',
      durationMs: 1,
      findings: [finding('on-edge1', ['edge1']), finding('pair', ['a'], { from: 'edge1', to: 'a' }), finding('on-a', ['a'])],
      causes: [cause('on-edge1', ['edge1'], []), cause('via-pair', ['a'], [{ from: 'a', to: 'edge1' }]), cause('on-a', ['a'], [{ from: 'b', to: 'a' }])],
      matrix: { udp51820: matrix, tcp50000: { desktop: { a: 'open', edge1: 'open' } }, ipv6: { udp51820: matrix, tcp50000: {} } },
      nat: { edge1: { kind: 'random', behindNat: true, publicIp: null, observed: [] } },
    };
    const after = reportWithoutNode(report, 'edge1');
    expect(after.findings.map((f) => f.id)).toEqual(['on-a']);
    expect(after.causes.map((c) => c.id)).toEqual(['on-a']);
    expect(after.matrix.udp51820).toEqual({ a: { b: 'open' }, b: { a: 'open' } });
    expect(after.matrix.tcp50000).toEqual({ desktop: { a: 'open' } });
    expect(after.matrix.ipv6?.udp51820).toEqual({ a: { b: 'open' }, b: { a: 'open' } });
    expect(after.nat).toEqual({});
    expect(reportWithoutNode(report, 'nobody')).toEqual(report);
  });
});

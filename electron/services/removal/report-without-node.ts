import type { DiagnosisReport, ReachabilityMatrix } from '../../contract/diagnosis.js';

function matrixWithout(matrix: ReachabilityMatrix, node: string): ReachabilityMatrix {
  return Object.fromEntries(
    Object.entries(matrix)
      .filter(([from]) => from !== node)
      .map(([from, row]) => [from, Object.fromEntries(Object.entries(row).filter(([to]) => to !== node))]),
  );
}

/** A diagnosis report as if `node` had never been in it: its findings, causes, matrix rows and columns and NAT go. */
export function reportWithoutNode(report: DiagnosisReport, node: string): DiagnosisReport {
  const names = (item: { nodes: string[]; pair?: { from: string; to: string } | null }) =>
    !item.nodes.includes(node) && item.pair?.from !== node && item.pair?.to !== node;
  const { ipv6 } = report.matrix;
  const nat = report.nat && Object.fromEntries(Object.entries(report.nat).filter(([name]) => name !== node));
  return {
    ...report,
    findings: report.findings.filter(names),
    causes: report.causes.filter((cause) => names(cause) && !cause.pairs.some((p) => p.from === node || p.to === node)),
    matrix: {
      udp51820: matrixWithout(report.matrix.udp51820, node),
      tcp50000: matrixWithout(report.matrix.tcp50000, node),
      ...(ipv6 ? { ipv6: { udp51820: matrixWithout(ipv6.udp51820, node), tcp50000: matrixWithout(ipv6.tcp50000, node) } } : {}),
    },
    ...(nat ? { nat } : {}),
  };
}

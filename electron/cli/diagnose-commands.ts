import type { Command } from '../../agent/lib/cli.js';
import { UsageError } from '../../agent/lib/errors.js';
import type { DiagnosisReport, FixResult, Remediation } from '../contract/diagnosis.js';
import { dataDirOption } from './options.js';
import { print, withServices } from './services.js';

function matrixText(name: string, matrix: DiagnosisReport['matrix']['udp51820']): string[] {
  const rows = Object.keys(matrix);
  const cols = [...new Set(rows.flatMap((r) => Object.keys(matrix[r] ?? {})))];
  const width = Math.max(8, ...rows.map((r) => r.length), ...cols.map((c) => c.length));
  const mark = { open: 'open', blocked: 'BLOCKED', unknown: '?' } as const;
  return [`${name} (row -> column)`, ['', ...cols].map((c) => c.padEnd(width)).join(' '), ...rows.map((r) => [r, ...cols.map((c) => (r === c ? '-' : mark[matrix[r]?.[c] ?? 'unknown']))].map((c) => c.padEnd(width)).join(' '))];
}

function reportText(report: DiagnosisReport): string {
  const lines = [`diagnosis in ${(report.durationMs / 1000).toFixed(1)} s: ${report.findings.length} finding(s)`];
  for (const f of report.findings) {
    const port = f.port ? ` ${f.protocol}/${f.port}` : '';
    lines.push('', `${f.severity.toUpperCase().padEnd(7)} ${f.id}${port}${f.where ? ` (${f.where})` : ''}`);
    for (const e of f.evidence) lines.push(`    - ${e}`);
    lines.push(`    fix: ${f.remediation.summary}${f.remediation.hostFixes.length ? `  (spanwise fix ${f.id})` : ''}`);
  }
  return [...lines, '', ...matrixText('UDP 51820', report.matrix.udp51820), '', ...matrixText('TCP 50000', report.matrix.tcp50000)].join('\n');
}

function remediationText(id: string, r: Remediation): string {
  const lines = [`${id}: ${r.summary}`];
  for (const fix of r.hostFixes) {
    lines.push('', `on ${fix.node} (${fix.firewall}), apply:`, ...fix.apply.map((c) => `  ${c}`), 'revert:', ...fix.revert.map((c) => `  ${c}`));
  }
  if (r.changeRequest) lines.push('', r.changeRequest);
  if (r.hostFixes.length) lines.push('', `apply with: spanwise fix ${id} --apply`);
  return lines.join('\n');
}

const fixText = (r: FixResult) => [...r.log, `applied: ${r.applied}  reverted: ${r.reverted}  cleared: ${r.cleared}`].join('\n');

function confirmSeconds(value: unknown): number {
  if (value === undefined) return 30;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 5 || n > 600) throw new UsageError(`--confirm-seconds must be a whole number from 5 to 600, got '${String(value)}'`);
  return n;
}

/** `spanwise diagnose`: gathers evidence from every node and prints findings and reachability. */
export const diagnoseCommand: Command = {
  path: ['diagnose'],
  summary: 'find firewall, NAT and MTU problems of the mesh (UDP 51820, TCP 50000), with fixes',
  usage: '[--json]',
  options: { ...dataDirOption, json: { type: 'boolean' } },
  async run(values) {
    const report = await withServices(values, (s) => s.diagnosis.run());
    print(values, report, () => reportText(report));
  },
};

/** `spanwise fix FINDING`: previews a finding's fix; with --apply runs it with an automatic revert. */
export const fixCommand: Command = {
  path: ['fix'],
  summary: "preview a finding's fix, or apply it over SSH (reverts by itself if SSH or the mesh is lost)",
  usage: 'FINDING [--apply] [--node NODE] [--confirm-seconds N] [--json]',
  options: { ...dataDirOption, json: { type: 'boolean' }, apply: { type: 'boolean' }, node: { type: 'string' }, 'confirm-seconds': { type: 'string' } },
  positionals: true,
  async run(values, positionals) {
    const [id, ...extra] = positionals;
    if (!id || extra.length > 0) throw new UsageError('give exactly one FINDING id (from spanwise diagnose)');
    const seconds = confirmSeconds(values['confirm-seconds']);
    const node = typeof values.node === 'string' ? values.node : undefined;
    if (!values.apply) {
      const remediation = await withServices(values, (s) => s.diagnosis.preview(id));
      print(values, remediation, () => remediationText(id, remediation));
      return;
    }
    const result = await withServices(values, (s) => s.diagnosis.apply(id, node, seconds, values.json ? undefined : (line) => process.stderr.write(`${line}\n`)));
    print(values, result, () => fixText(result));
    return result.applied && !result.reverted ? 0 : 1;
  },
};

export const diagnoseCommands: Command[] = [diagnoseCommand, fixCommand];

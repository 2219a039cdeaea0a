import type { Command } from '../../agent/shared/cli.js';
import { UsageError } from '../../agent/shared/errors.js';
import { outputFormat, tableText } from '../../agent/shared/output-format.js';
import { alignColumns } from '../../agent/shared/table.js';
import type { DiagnosisReport, Remediation } from '../contract/diagnosis.js';
import { withClient } from './client.js';
import { pushLine, withProgressLines } from './onboard-progress.js';
import { fixText, revertText } from './fix-text.js';
import { dataHelp, dataOptions, numberFlag } from './options.js';
import { EXIT_UNHEALTHY, print } from './output.js';
import type { FixLogLine } from '../contract/events.js';
import { withRelay } from './relay-flags.js';

function matrixText(name: string, matrix: DiagnosisReport['matrix']['udp51820']): string {
  const rows = Object.keys(matrix);
  const cols = [...new Set(rows.flatMap((r) => Object.keys(matrix[r] ?? {})))];
  const mark = { open: 'open', blocked: 'BLOCKED', unknown: '?' } as const;
  const cells = rows.map((r) => [r, ...cols.map((c) => (r === c ? '-' : mark[matrix[r]?.[c] ?? 'unknown']))]);
  return `${name} (row -> column)\n${alignColumns([['FROM', ...cols], ...cells]).join('\n')}\n`;
}

function reportText(report: DiagnosisReport, wide: boolean): string {
  const head = `diagnosis in ${(report.durationMs / 1000).toFixed(1)} s: ${report.findings.length} finding(s)\n`;
  const findings = report.findings.length
    ? tableText(
        ['severity', 'finding', 'port', 'where', 'fix', ...(wide ? ['evidence'] : [])],
        report.findings.map((f) => [
          f.severity,
          f.id,
          f.port ? `${f.protocol}/${f.port}` : '-',
          f.where ?? '-',
          `${f.remediation.summary}${f.remediation.hostFixes.length || f.remediation.relay ? ` (spanwise fix ${f.id})` : ''}`,
          ...(wide ? [f.evidence.join(' | ')] : []),
        ]),
      )
    : '';
  return [head + findings, matrixText('UDP 51820', report.matrix.udp51820), matrixText('TCP 50000', report.matrix.tcp50000)].join('\n');
}

function remediationText(id: string, r: Remediation): string {
  const lines = [`${id}: ${r.summary}`];
  for (const fix of r.hostFixes) {
    lines.push(
      '',
      `on ${fix.target?.label ?? fix.node} (${fix.firewall}), apply:`,
      ...fix.apply.map((c) => `  ${c}`),
      'revert:',
      ...fix.revert.map((c) => `  ${c}`),
    );
  }
  if (r.changeRequest) lines.push('', r.changeRequest);
  if (r.hostFixes.length) lines.push('', `apply with: spanwise fix ${id} --apply`);
  if (r.relay) lines.push('', r.relay.summary, `relay with: spanwise fix ${id} --apply${r.hostFixes.length ? ' --use-relay' : ''}`);
  return lines.join('\n');
}

/** `spanwise diagnose`: gathers evidence from every node and prints findings and reachability; exits 3 on an error finding. */
export const diagnoseCommand: Command = {
  path: ['diagnose'],
  summary: 'find firewall, NAT and MTU problems of the mesh (UDP 51820, TCP 50000), with fixes; exit 3 when a finding is an error',
  usage: '[-o table|wide|json|yaml]',
  options: { ...dataOptions },
  optionHelp: { ...dataHelp, output: { ...dataHelp.output!, description: 'output format: table, wide (with the evidence), json or yaml' } },
  examples: ['spanwise diagnose', 'spanwise diagnose -o json | jq .findings'],
  async run(values) {
    const format = outputFormat(values);
    const report = await withClient(values, (c) => c.invoke('diagnosis:run', {}));
    print(format, report, { table: () => reportText(report, false), wide: () => reportText(report, true) });
    return report.findings.some((f) => f.severity === 'error') ? EXIT_UNHEALTHY : 0;
  },
};

/** `spanwise fix FINDING`: previews a finding's fix; with --apply runs it with an automatic revert. */
export const fixCommand: Command = {
  path: ['fix'],
  summary: "preview a finding's fix, or apply it over SSH (reverts by itself if SSH or the mesh is lost)",
  usage: 'FINDING [--apply [--persist] [--use-relay]] [--node NODE] [--confirm-seconds N] [-o FORMAT] | --revert FIX_ID --node NODE',
  options: {
    ...dataOptions,
    apply: { type: 'boolean' },
    persist: { type: 'boolean' },
    'use-relay': { type: 'boolean' },
    revert: { type: 'string' },
    node: { type: 'string' },
    'confirm-seconds': { type: 'string' },
  },
  optionHelp: {
    ...dataHelp,
    apply: { description: 'apply the fix over SSH instead of previewing it' },
    persist: { description: 'where the host has no boot file for its firewall, create one so the fix survives a reboot' },
    'use-relay': {
      description:
        "apply the finding's relay (a pair with no direct path through a third node) instead of its host fix; the only choice when it has no host fix",
    },
    revert: { description: 'revert an applied fix on --node, live and persisted (the fix id its result printed)', value: 'FIX_ID' },
    node: { description: 'apply only the part of the fix for this node', default: 'every node the fix names', value: 'NODE' },
    'confirm-seconds': { description: 'how long the mesh must stay up after the change before it is kept (5 to 600)', default: '30', value: 'N' },
  },
  examples: [
    'spanwise fix UDP_51820_INBOUND_BLOCKED:cloud2',
    'spanwise fix UDP_51820_INBOUND_BLOCKED:cloud2 --apply',
    'spanwise fix --revert udp-51820 --node cloud2',
    'spanwise fix PAIR_NO_INBOUND_END:edge1:edge2 --apply --use-relay',
  ],
  positionals: true,
  async run(values, positionals) {
    const format = outputFormat(values);
    const [findingId, ...extra] = positionals;
    if (typeof values.revert === 'string') {
      if (typeof values.node !== 'string' || positionals.length > 0) throw new UsageError('--revert FIX_ID takes --node NODE and no FINDING');
      const request = { node: values.node, fixId: values.revert };
      const reverted = await withClient(values, (c) => c.invoke('fix:revert', request, { node: '--node', fixId: '--revert' }));
      print(format, reverted, () => revertText(reverted));
      return reverted.reverted ? 0 : 1;
    }
    if (!findingId || extra.length > 0) throw new UsageError('give exactly one FINDING id (from spanwise diagnose)');
    if (!values.apply) {
      const remediation = await withClient(values, (c) => c.invoke('fix:preview', { findingId }, { findingId: 'FINDING' }));
      print(format, remediation, () => remediationText(findingId, remediation));
      return;
    }
    // A finding that cannot be previewed fails below as fix:apply names it.
    const preview = await withClient(values, (c) => c.invoke('fix:preview', { findingId }, { findingId: 'FINDING' })).catch(() => undefined);
    const offer = preview?.relay;
    if (values['use-relay'] === true && preview && !offer) throw new UsageError(`${findingId} offers no relay; run 'spanwise fix ${findingId}' to see its fix`);
    if (offer && (values['use-relay'] === true || preview?.hostFixes.length === 0)) {
      const result = await withClient(values, async (c) => {
        const current = (await c.invoke('settings:get', {})).settings;
        const update = () => c.invoke('settings:update', { settings: { ...current, relays: withRelay(current.relays ?? [], offer) }, apply: true });
        return format === 'json' ? update() : withProgressLines(c.services.events, process.stderr, update);
      });
      const lines = result.applied.map(pushLine);
      print(format, result, () =>
        [`relay ${offer.between.join(',')} via ${offer.via} saved (remove with: spanwise settings set --no-relay ${offer.between.join(',')})`, ...lines].join(
          '\n',
        ),
      );
      return result.applied.every((r) => r.ok) ? 0 : 1;
    }
    const confirmSeconds = numberFlag(values['confirm-seconds']);
    const request = {
      findingId,
      ...(typeof values.node === 'string' ? { node: values.node } : {}),
      ...(confirmSeconds === undefined ? {} : { confirmSeconds }),
      ...(values.persist === true ? { persist: true } : {}),
    };
    const flags = { findingId: 'FINDING', node: '--node', confirmSeconds: '--confirm-seconds' };
    const result = await withClient(values, async (c) => {
      const unsubscribe = c.services.events.subscribe((event, payload) => {
        if (event === 'fix:log' && format !== 'json') process.stderr.write(`[${(payload as FixLogLine).node}] ${(payload as FixLogLine).line}\n`);
      });
      try {
        return await c.invoke('fix:apply', request, flags);
      } finally {
        unsubscribe();
      }
    });
    print(format, result, () => fixText(result));
    return result.applied && !result.reverted ? 0 : 1;
  },
};

export const diagnoseCommands: Command[] = [diagnoseCommand, fixCommand];

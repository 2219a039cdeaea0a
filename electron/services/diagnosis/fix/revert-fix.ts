import { z } from 'zod';
import { SpanwiseError } from '../../../../agent/shared/errors.js';
import type { FixRevertResult } from '../../../contract/diagnosis.js';
import { shellQuote } from '../../ssh/shell.js';
import { bootPaths } from './boot-paths.js';
import { recordPath } from './fix-scripts.js';
import { readMarkers } from './markers.js';
import { FIX_ID } from './names.js';
import { nftDeletes } from './nft-plan.js';
import type { HostShell } from './revert-guard.js';
import { rulePlan } from './rule-plan.js';

/** The record an apply leaves on the host; read back from the host, so checked like any outside input. */
const recordSchema = z.object({
  firewall: z.enum(['nftables', 'iptables', 'ufw', 'firewalld']),
  rule: z
    .object({
      id: z.string().regex(FIX_ID),
      protocol: z.enum(['tcp', 'udp']),
      port: z.number().int().min(1).max(65535),
      anchors: z.array(z.string().max(200)).max(16),
      removesRichRule: z.string().max(1000).optional(),
      insertFirst: z.boolean().optional(),
    })
    .strict(),
});

/**
 * Reverts an applied fix on its host, also after a reboot: deletes its live
 * rules (nftables by the handles the ruleset holds now for rules with the
 * fix's comment; iptables by the spec of its comment-tagged rule), removes it
 * from the files the boot loads, and drops its record.
 */
export async function revertFix(node: string, fixId: string, shell: HostShell, bootRoot?: string): Promise<FixRevertResult> {
  if (!FIX_ID.test(fixId)) throw new SpanwiseError('FIX_ID_INVALID', `fixId '${fixId}' is not a fix id`, 'use the fixId a fix result names, e.g. udp-51820');
  const paths = bootPaths(bootRoot);
  const record = recordPath(paths, fixId);
  const read = await shell.exec(`cat ${shellQuote(record)}`);
  if (read.code !== 0) {
    throw new SpanwiseError(
      'FIX_NOT_FOUND',
      `no fix '${fixId}' is recorded on ${node} (${record})`,
      'it was reverted already, or was never applied by Spanwise',
    );
  }
  let parsed: z.infer<typeof recordSchema>;
  try {
    parsed = recordSchema.parse(JSON.parse(read.stdout));
  } catch (error) {
    throw new SpanwiseError('FIX_RECORD_INVALID', `the record ${record} on ${node} is not a fix record: ${(error as Error).message}`, 'revert the fix by hand');
  }
  const { removesRichRule, insertFirst, ...base } = parsed.rule;
  const rule = { ...base, ...(removesRichRule === undefined ? {} : { removesRichRule }), ...(insertFirst === undefined ? {} : { insertFirst }) };
  const plan = rule.id === fixId ? rulePlan(parsed.firewall, rule, paths) : null;
  if (!plan)
    throw new SpanwiseError('FIX_RECORD_INVALID', `the record ${record} on ${node} names another fix or names that are not plain`, 'revert the fix by hand');
  const hostRead = async (script: string) => {
    const out = await shell.exec(script);
    if (out.code !== 0)
      throw new SpanwiseError('FIX_REVERT_FAILED', `reading ${node}'s firewall failed: ${out.stderr.trim()}`, 'check the firewall on the host');
    return out.stdout;
  };
  const script = ['set -e', ...(await plan.liveRevert(hostRead)), ...plan.unpersist(), `rm -f ${shellQuote(record)}`];
  const out = await shell.exec(script.join('\n'));
  const reported = readMarkers(out.stdout);
  const log = [...reported.lines, ...(out.code === 0 ? [] : [`revert failed (exit ${out.code}): ${out.stderr.trim()}`])];
  let left = 0;
  if (parsed.firewall === 'nftables') left = nftDeletes(await hostRead('nft -j -a list ruleset'), fixId).length;
  if (left > 0) log.push(`${left} rule(s) with the comment spanwise:${fixId} are still live`);
  return { node, fixId, reverted: out.code === 0 && left === 0, changes: reported.changes, log };
}

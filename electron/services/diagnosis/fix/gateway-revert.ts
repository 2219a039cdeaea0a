import { SpanwiseError } from '../../../../agent/shared/errors.js';
import type { FixRevertResult } from '../../../contract/diagnosis.js';
import { marker } from './boot-paths.js';
import { GATEWAY_TABLE } from './gateway-plan.js';
import { readMarkers } from './markers.js';
import { nftDeletes } from './nft-plan.js';
import type { HostShell } from './revert-guard.js';

/** The id of a gateway fix, e.g. `gw-udp-51820`. */
export const GATEWAY_FIX_ID = /^gw-(tcp|udp)-[0-9]{1,5}$/;

const [family, table] = GATEWAY_TABLE.split(' ') as [string, string];

/** Whether the ruleset holds Spanwise's gateway table. */
const hasTable = (json: string) =>
  ((JSON.parse(json) as { nftables?: Array<{ table?: { family?: string; name?: string } }> }).nftables ?? []).some(
    (i) => i.table?.family === family && i.table?.name === table,
  );

/**
 * Reverts a gateway fix on one gateway (nftables): deletes Spanwise's gateway
 * table and, by the handles the ruleset holds now, the forward accepts with
 * the fix's comment. Null when the gateway holds nothing of the fix.
 */
export async function revertGatewayFix(node: string, fixId: string, shell: HostShell): Promise<FixRevertResult | null> {
  if (!GATEWAY_FIX_ID.test(fixId))
    throw new SpanwiseError('FIX_ID_INVALID', `fixId '${fixId}' is not a gateway fix id`, 'use the fixId a fix result names, e.g. gw-udp-51820');
  const read = async () => {
    const out = await shell.exec('command -v nft >/dev/null 2>&1 && nft -j -a list ruleset');
    if (out.code !== 0)
      throw new SpanwiseError(
        'FIX_REVERT_FAILED',
        `reading the gateway's nftables failed: ${out.stderr.trim() || 'no nft'}`,
        'remove the rules commented spanwise:' + fixId + ' by hand',
      );
    return out.stdout;
  };
  const json = await read();
  const deletes = nftDeletes(json, fixId).filter((c) => !c.startsWith(`nft delete rule ${GATEWAY_TABLE} `));
  if (!hasTable(json) && deletes.length === 0) return null;
  const script = [
    ...(hasTable(json) ? [`nft delete table ${GATEWAY_TABLE}`, marker.change('runtime', 'removed', `table ${GATEWAY_TABLE}`)] : []),
    ...deletes.flatMap((c) => [c, marker.change('runtime', 'removed', c.slice('nft delete '.length))]),
  ];
  const out = await shell.exec(['set -e', ...script].join('\n'));
  const reported = readMarkers(out.stdout);
  const after = await read();
  const left = nftDeletes(after, fixId).length;
  const log = [...reported.lines, ...(out.code === 0 ? [] : [`revert failed (exit ${out.code}): ${out.stderr.trim()}`])];
  if (left > 0) log.push(`${left} rule(s) with the comment spanwise:${fixId} are still live`);
  return { node, fixId, reverted: out.code === 0 && left === 0 && !hasTable(after), changes: reported.changes, log };
}

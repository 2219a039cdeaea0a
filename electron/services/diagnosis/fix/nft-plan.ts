import type { FixRule } from '../../../contract/diagnosis.js';
import { shellQuote } from '../../ssh/shell.js';
import { marker, type BootPaths } from './boot-paths.js';
import { chainText, fixComment, isHandle, nftChain, NFT_FAMILIES, PLAIN_NAME, type NftChain } from './names.js';

/** The accept rule of a fix, as nft reads it after `insert rule <family> <table> <chain>`. */
export const nftRuleBody = (rule: FixRule) => `${rule.protocol} dport ${rule.port} accept comment "${fixComment(rule.id)}"`;

/** The chains of a fix, or null unless every anchor is a plain `family table chain`. */
export function nftChains(rule: FixRule): NftChain[] | null {
  const chains = (rule.anchors.length > 0 ? rule.anchors : ['inet filter input']).map(nftChain);
  return chains.every((c): c is NftChain => c !== null) ? chains : null;
}

/**
 * Inserts the accept at the top of each chain with `nft -e -a`, reads the
 * handle nft echoes, and appends `nft delete rule ... handle <N>` to `undo`
 * before going on, so an automatic revert removes exactly the rules added.
 */
export function nftRuntime(rule: FixRule, chains: NftChain[], undo: string): string[] {
  return chains.flatMap((c) => [
    `out=$(nft -e -a insert rule ${chainText(c)} ${shellQuote(nftRuleBody(rule))})`,
    `printf '%s\\n' "$out" | grep -v '^# new generation' || true`,
    `h=$(printf '%s\\n' "$out" | sed -n 's/^insert rule .* # handle \\([0-9][0-9]*\\)$/\\1/p' | head -n 1)`,
    `[ -n "$h" ] || { echo 'nft echoed no handle for the inserted rule' >&2; exit 1; }`,
    `printf 'nft delete rule ${chainText(c)} handle %s\\n' "$h" >> ${shellQuote(undo)}`,
    marker.change('runtime', 'added', `rule ${chainText(c)} handle $h`),
  ]);
}

/**
 * Writes the fix where the host's nftables service loads it at boot: its
 * lines in Spanwise's drop-in, and one `include` of the drop-in at the end of
 * the boot file (added once). The boot file is then checked with `nft -c -f`;
 * if it no longer loads, both edits are undone and the fix stays runtime only.
 * Without a boot file the fix stays runtime only, unless `create`: then the
 * boot file is written from the live ruleset (without the fix's rules).
 */
export function nftPersist(rule: FixRule, chains: NftChain[], paths: BootPaths, create: boolean): string[] {
  const [debian, rhel] = paths.nftConfs as [string, string];
  const tag = shellQuote(`comment "${fixComment(rule.id)}"`);
  const drop = shellQuote(paths.nftDropIn);
  const include = shellQuote(`include "${paths.nftDropIn}"`);
  const lines = chains.map((c) => shellQuote(`insert rule ${chainText(c)} ${nftRuleBody(rule)}`)).join(' ');
  return [
    `conf=''; for f in ${shellQuote(debian)} ${shellQuote(rhel)}; do if [ -f "$f" ]; then conf=$f; break; fi; done`,
    `if [ -z "$conf" ] && [ ${create ? 1 : 0} = 1 ]; then`,
    `  if [ -d ${shellQuote(`${paths.root}/etc/sysconfig`)} ]; then conf=${shellQuote(rhel)}; else conf=${shellQuote(debian)}; fi`,
    `  mkdir -p "$(dirname "$conf")"`,
    `  { echo '#!/usr/sbin/nft -f'; echo 'flush ruleset'; nft list ruleset | grep -v -F ${tag}; } > "$conf"`,
    `  ${marker.change('persisted', 'added', '$conf (created from the live ruleset)')}`,
    `  if [ -z ${shellQuote(paths.root)} ] && command -v systemctl >/dev/null 2>&1; then systemctl enable nftables >/dev/null 2>&1 || true; fi`,
    'fi',
    'if [ -z "$conf" ]; then',
    `  ${marker.runtimeOnly(`no nftables boot file (${debian} or ${rhel}): the rule is lost at the next reboot; apply with persist to create one`)}`,
    'else',
    `  mkdir -p "$(dirname ${drop})"`,
    `  { if [ -f ${drop} ]; then grep -v -F ${tag} ${drop} || true; fi; printf '%s\\n' ${lines}; } > ${drop}.new`,
    `  rm -f ${drop}.old; if [ -f ${drop} ]; then cp ${drop} ${drop}.old; fi`,
    `  mv ${drop}.new ${drop}`,
    `  had=0; if grep -qxF ${include} "$conf"; then had=1; else { if [ -s "$conf" ] && [ -n "$(tail -c 1 "$conf")" ]; then echo; fi; printf '%s\\n' ${include}; } >> "$conf"; fi`,
    `  if nft -c -f "$conf" 2> ${drop}.err; then`,
    `    ${marker.change('persisted', 'added', `${paths.nftDropIn} (included from $conf)`)}`,
    '  else',
    `    if [ -f ${drop}.old ]; then mv ${drop}.old ${drop}; else rm -f ${drop}; fi`,
    `    if [ $had = 0 ]; then grep -v -x -F ${include} "$conf" > "$conf.new" || true; cat "$conf.new" > "$conf"; rm -f "$conf.new"; fi`,
    `    ${marker.runtimeOnly('the boot file $conf does not load with the fix added ($(head -n 1 ' + paths.nftDropIn + '.err)), so it is left as it was')}`,
    '  fi',
    `  rm -f ${drop}.old ${drop}.err`,
    'fi',
  ];
}

/**
 * Removes the fix from what the boot loads: its lines in the drop-in (the
 * drop-in and its include line go when nothing else is left in it), and its
 * rules in a boot file that was created from the live ruleset.
 */
export function nftUnpersist(fixId: string, paths: BootPaths): string[] {
  const tag = shellQuote(`comment "${fixComment(fixId)}"`);
  const drop = shellQuote(paths.nftDropIn);
  const include = shellQuote(`include "${paths.nftDropIn}"`);
  const confs = paths.nftConfs.map(shellQuote).join(' ');
  return [
    `if [ -f ${drop} ] && grep -qF ${tag} ${drop}; then`,
    `  grep -v -F ${tag} ${drop} > ${drop}.new || true; mv ${drop}.new ${drop}`,
    `  ${marker.change('persisted', 'removed', `${paths.nftDropIn} (the fix's lines)`)}`,
    'fi',
    `if [ -f ${drop} ] && ! grep -q '[^[:space:]]' ${drop}; then`,
    `  rm -f ${drop}`,
    `  for f in ${confs}; do if [ -f "$f" ] && grep -qxF ${include} "$f"; then grep -v -x -F ${include} "$f" > "$f.new" || true; cat "$f.new" > "$f"; rm -f "$f.new"; ${marker.change('persisted', 'removed', '$f (the include line)')}; fi; done`,
    'fi',
    `for f in ${confs}; do if [ -f "$f" ] && grep -qF ${tag} "$f"; then grep -v -F ${tag} "$f" > "$f.new" || true; cat "$f.new" > "$f"; rm -f "$f.new"; ${marker.change('persisted', 'removed', '$f (the rules of the fix)')}; fi; done`,
  ];
}

/**
 * The deletes, by handle, of the live rules of a fix, found by their comment
 * in `nft -j -a list ruleset` (after a reboot the rules come back from the boot
 * file with new handles). Names that are not plain, or handles that are not
 * integers, are refused.
 */
export function nftDeletes(rulesetJson: string, fixId: string): string[] {
  const items = (JSON.parse(rulesetJson) as { nftables?: Array<{ rule?: Record<string, unknown> }> }).nftables ?? [];
  return items.flatMap(({ rule }) => {
    if (!rule || rule.comment !== fixComment(fixId)) return [];
    const { family, table, chain, handle } = rule;
    if (typeof family !== 'string' || !NFT_FAMILIES.has(family) || !isHandle(handle)) return [];
    if (typeof table !== 'string' || typeof chain !== 'string' || !PLAIN_NAME.test(table) || !PLAIN_NAME.test(chain)) return [];
    return [`nft delete rule ${family} ${table} ${chain} handle ${handle}`];
  });
}

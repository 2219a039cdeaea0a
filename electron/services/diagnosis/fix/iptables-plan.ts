import type { FixRule } from '../../../contract/diagnosis.js';
import { shellQuote } from '../../ssh/shell.js';
import { marker, type BootPaths } from './boot-paths.js';
import { fixComment, PLAIN_NAME } from './names.js';

/** The chain of an iptables fix (INPUT unless the verdict named another), or null unless it is a plain name. */
export const iptablesChain = (rule: FixRule): string | null => {
  const chain = rule.anchors[0] ?? 'INPUT';
  return PLAIN_NAME.test(chain) ? chain : null;
};

/** The rule spec Spanwise owns: the comment match `spanwise:<fix-id>` is its handle. */
export const iptablesSpec = (rule: FixRule, chain: string) =>
  `${chain} -p ${rule.protocol} --dport ${rule.port} -m comment --comment ${fixComment(rule.id)} -j ACCEPT`;

/** Inserts the rule first in its chain and appends its `-D` to `undo`. */
export function iptablesRuntime(rule: FixRule, chain: string, undo: string): string[] {
  const spec = iptablesSpec(rule, chain);
  return [
    `iptables -I ${spec.replace(chain, `${chain} 1`)}`,
    `printf '%s\\n' ${shellQuote(`iptables -D ${spec}`)} >> ${shellQuote(undo)}`,
    marker.change('runtime', 'added', `iptables rule ${chain} ${fixComment(rule.id)}`),
  ];
}

/** Deletes every live copy of the rule by its spec. */
export const iptablesDeletes = (rule: FixRule, chain: string): string[] => {
  const spec = iptablesSpec(rule, chain);
  return [
    `n=0; while iptables -C ${spec} 2>/dev/null; do iptables -D ${spec}; n=$((n+1)); done`,
    `if [ $n -gt 0 ]; then ${marker.change('runtime', 'removed', `iptables rule ${chain} ${fixComment(rule.id)}`)}; fi`,
  ];
};

/**
 * Writes the rule into the host's iptables boot file (netfilter-persistent's
 * rules.v4 or iptables-services' file) as the first rule of the filter table,
 * checked with `iptables-restore --test`; without a boot file it stays runtime
 * only, unless `create`: then the file is written by `iptables-save`.
 */
export function iptablesPersist(rule: FixRule, chain: string, paths: BootPaths, create: boolean): string[] {
  const [debian, rhel] = paths.iptablesFiles as [string, string];
  const line = shellQuote(`-A ${iptablesSpec(rule, chain)}`);
  const tag = shellQuote(` --comment ${fixComment(rule.id)}( |$)`);
  return [
    `file=''; for f in ${shellQuote(debian)} ${shellQuote(rhel)}; do if [ -f "$f" ]; then file=$f; break; fi; done`,
    `if [ -z "$file" ] && [ ${create ? 1 : 0} = 1 ]; then`,
    `  if [ -d ${shellQuote(`${paths.root}/etc/sysconfig`)} ]; then file=${shellQuote(rhel)}; else file=${shellQuote(debian)}; fi`,
    `  mkdir -p "$(dirname "$file")"; iptables-save > "$file"`,
    `  ${marker.change('persisted', 'added', '$file (created by iptables-save)')}`,
    'elif [ -z "$file" ]; then',
    `  ${marker.runtimeOnly(`no iptables boot file (${debian} or ${rhel}): the rule is lost at the next reboot; apply with persist to create one`)}`,
    `elif ! grep -q '^\\*filter' "$file"; then`,
    `  ${marker.runtimeOnly('$file has no filter table, so it is left as it was')}`,
    'else',
    `  { grep -v -E ${tag} "$file" || true; } | awk -v line=${line} 's == 1 && !/^:/ { print line; s = 2 } { print } /^\\*filter/ { s = 1 }' > "$file.new"`,
    `  if iptables-restore --test < "$file.new" 2>/dev/null; then cat "$file.new" > "$file"; ${marker.change('persisted', 'added', '$file (the rule, first in the filter table)')}`,
    `  else ${marker.runtimeOnly('$file does not load with the rule added, so it is left as it was')}; fi`,
    `  rm -f "$file.new"`,
    'fi',
  ];
}

/** Removes the fix's comment-tagged lines from the iptables boot files. */
export function iptablesUnpersist(fixId: string, paths: BootPaths): string[] {
  const tag = shellQuote(` --comment ${fixComment(fixId)}( |$)`);
  return [
    `for f in ${paths.iptablesFiles.map(shellQuote).join(' ')}; do if [ -f "$f" ] && grep -qE ${tag} "$f"; then grep -v -E ${tag} "$f" > "$f.new" || true; cat "$f.new" > "$f"; rm -f "$f.new"; ${marker.change('persisted', 'removed', '$f (the rule of the fix)')}; fi; done`,
  ];
}

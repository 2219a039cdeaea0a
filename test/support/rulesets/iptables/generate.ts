/**
 * Makes each ruleset's `iptables-save` output with the real tools: loads the
 * `.rules` file with iptables-restore (`.rules6` with ip6tables-restore,
 * `.legacy.rules` with iptables-legacy-restore) in a throwaway network
 * namespace and saves it back; a `.ipset` file (ipset restore input) is loaded
 * first and its `ipset save` output written to `.ipsets`. `npx tsx test/support/rulesets/iptables/generate.ts`
 * rewrites the `.save` files whose rules changed; the corpus test checks they still match.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const rulesetDir = dirname(fileURLToPath(import.meta.url));

/** Input file suffix -> the restore and save tools that load and print it, and the output suffix. */
export const VARIANTS = [
  { input: '.legacy.rules', restore: 'iptables-legacy-restore', save: 'iptables-legacy-save', output: '.legacy.save' },
  { input: '.rules6', restore: 'ip6tables-nft-restore', save: 'ip6tables-nft-save', output: '.save6' },
  { input: '.rules', restore: 'iptables-nft-restore', save: 'iptables-nft-save', output: '.save' },
] as const;

/** Whether the tools and the rights to make a namespace are here. */
export function canGenerate(): boolean {
  return (
    process.getuid?.() === 0 && [...VARIANTS.map((v) => v.restore), 'ipset'].every((tool) => ['/usr/sbin', '/sbin'].some((d) => existsSync(join(d, tool))))
  );
}

/** The save output without its dated `# Generated` / `# Completed` lines. */
export const undated = (save: string) =>
  save
    .split('\n')
    .filter((l) => !/^# (Generated|Completed) /.test(l))
    .join('\n');

/** `ipset save` output without what varies run to run: the hash seed (`initval 0x...`) and the order of a hash's members. */
export const unseeded = (sets: string) =>
  sets
    .replace(/ initval 0x[0-9a-f]+/g, '')
    .split('\n')
    .sort()
    .join('\n');

/** Loads `sets` with ipset and `rules` with `restore` in a new namespace and returns what `save` (and `ipset save`) print. */
export function saveOf(rules: string, variant: (typeof VARIANTS)[number], sets?: string): { save: string; sets?: string } {
  const ns = `swfw-${process.pid}-${randomBytes(3).toString('hex')}`;
  const run = (args: string[], input?: string) =>
    execFileSync('ip', ['netns', 'exec', ns, ...args], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'], input });
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    if (sets !== undefined) run(['ipset', 'restore'], sets);
    run([variant.restore], rules);
    return { save: run([variant.save]), ...(sets !== undefined ? { sets: run(['ipset', 'save']) } : {}) };
  } finally {
    execFileSync('ip', ['netns', 'del', ns]);
  }
}

/** Every input file of the corpus with its variant and output file. */
export function corpusInputs(): Array<{ name: string; input: string; output: string; variant: (typeof VARIANTS)[number]; sets?: string }> {
  const out = [];
  for (const file of readdirSync(rulesetDir).sort()) {
    const variant = VARIANTS.find((v) => file.endsWith(v.input));
    if (!variant) continue;
    const name = file.slice(0, -variant.input.length);
    const sets = join(rulesetDir, `${name}.ipset`);
    out.push({ name, input: file, output: name + variant.output, variant, ...(existsSync(sets) ? { sets: readFileSync(sets, 'utf8') } : {}) });
  }
  return out;
}

const readOr = (file: string) => (existsSync(join(rulesetDir, file)) ? readFileSync(join(rulesetDir, file), 'utf8') : '');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const { name, input, output, variant, sets } of corpusInputs()) {
    const now = saveOf(readFileSync(join(rulesetDir, input), 'utf8'), variant, sets);
    if (now.sets !== undefined && unseeded(now.sets) !== unseeded(readOr(`${name}.ipsets`))) writeFileSync(join(rulesetDir, `${name}.ipsets`), now.sets);
    if (undated(now.save) === undated(readOr(output))) continue;
    writeFileSync(join(rulesetDir, output), now.save);
    console.log(`${input} -> ${output}`);
  }
}

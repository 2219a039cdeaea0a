/**
 * Makes each ruleset's `iptables-save` output with the real tools: loads the
 * `.rules` file with iptables-restore (`.rules6` with ip6tables-restore,
 * `.legacy.rules` with iptables-legacy-restore) in a throwaway network
 * namespace and saves it back. `npx tsx test/support/rulesets/iptables/generate.ts`
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
  return process.getuid?.() === 0 && VARIANTS.every((v) => ['/usr/sbin', '/sbin'].some((d) => existsSync(join(d, v.restore))));
}

/** The save output without its dated `# Generated` / `# Completed` lines. */
export const undated = (save: string) =>
  save
    .split('\n')
    .filter((l) => !/^# (Generated|Completed) /.test(l))
    .join('\n');

/** Loads `rules` with `restore` in a new namespace and returns what `save` prints. */
export function saveOf(rules: string, variant: (typeof VARIANTS)[number]): string {
  const ns = `swfw-${process.pid}-${randomBytes(3).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    execFileSync('ip', ['netns', 'exec', ns, variant.restore], { input: rules });
    return execFileSync('ip', ['netns', 'exec', ns, variant.save], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } finally {
    execFileSync('ip', ['netns', 'del', ns]);
  }
}

/** Every input file of the corpus with its variant and output file. */
export function corpusInputs(): Array<{ input: string; output: string; variant: (typeof VARIANTS)[number] }> {
  const out = [];
  for (const file of readdirSync(rulesetDir).sort()) {
    const variant = VARIANTS.find((v) => file.endsWith(v.input));
    if (variant) out.push({ input: file, output: file.slice(0, -variant.input.length) + variant.output, variant });
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const { input, output, variant } of corpusInputs()) {
    const now = saveOf(readFileSync(join(rulesetDir, input), 'utf8'), variant);
    const before = existsSync(join(rulesetDir, output)) ? readFileSync(join(rulesetDir, output), 'utf8') : '';
    if (undated(now) === undated(before)) continue;
    writeFileSync(join(rulesetDir, output), now);
    console.log(`${input} -> ${output}`);
  }
}

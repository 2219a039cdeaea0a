import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';

/** The folder of the corpus: each `NAME.nft` as an administrator or tool writes it, and `NAME.json` as real nft lists it. */
export const corpusDir = dirname(fileURLToPath(import.meta.url));

/** The corpus's ruleset names, sorted. */
export const corpusNames = (): string[] =>
  readdirSync(corpusDir)
    .filter((f) => f.endsWith('.nft'))
    .map((f) => f.slice(0, -4))
    .sort();

/**
 * Loads a ruleset with the real `nft -f` in a network namespace of its own
 * (made and deleted here; needs root) and returns `nft -j list ruleset`, and
 * `nft -a list ruleset` for the text nft prints.
 */
export function listWithNft(file: string): { json: string; text: string } {
  const ns = `spanwise-nftc-${randomBytes(4).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    const inNs = (args: string[]) => execFileSync('ip', ['netns', 'exec', ns, ...args], { encoding: 'utf8' });
    inNs(['nft', '-f', file]);
    return { json: inNs(['nft', '-j', 'list', 'ruleset']), text: inNs(['nft', '-a', 'list', 'ruleset']) };
  } finally {
    execFileSync('ip', ['netns', 'del', ns]);
  }
}

/** nft's JSON without its version line: what a fixture holds. */
export function fixtureOf(json: string): unknown {
  const parsed = JSON.parse(json) as { nftables: Array<Record<string, unknown>> };
  return { nftables: parsed.nftables.filter((o) => !('metainfo' in o)) };
}

/** The stored JSON of one ruleset. */
export const corpusJson = (name: string): string => readFileSync(join(corpusDir, `${name}.json`), 'utf8');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const name of corpusNames()) {
    const file = join(corpusDir, `${name}.json`);
    const text = JSON.stringify(fixtureOf(listWithNft(join(corpusDir, `${name}.nft`)).json));
    writeFileSync(file, await format(text, { ...(await resolveConfig(file)), filepath: file }));
    console.log(`wrote ${name}.json`);
  }
}

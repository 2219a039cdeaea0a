import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusDir, corpusJson, corpusNames, fixtureOf, listWithNft } from '../../../../test/support/rulesets/nft/generate.js';
import { labHostRuleset, labHostRulesetText } from '../../../../test/support/rulesets/nft/lab-host.js';
import { formatRule } from './nft-format.js';
import { parseNftJson } from './nft-schema.js';

/** Each rule line of `nft -a list ruleset`, by "family table chain handle". */
function ruleLines(text: string): Map<string, string> {
  const lines = new Map<string, string>();
  let table = '';
  let chain = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const t = /^table (\S+) (\S+) \{/.exec(line);
    const c = /^chain (\S+) \{/.exec(line);
    const r = /# handle (\d+)$/.exec(line);
    if (t) table = `${t[1]} ${t[2]}`;
    else if (c) chain = c[1] as string;
    else if (r && chain) lines.set(`${table} ${chain} ${r[1]}`, line);
    if (line === '}' && chain) chain = '';
  }
  return lines;
}

const dir = mkdtempSync(join(tmpdir(), 'spanwise-nft-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the corpus against the real nft (loaded in a network namespace of its own)', () => {
  for (const name of corpusNames()) {
    it(`${name}: the stored JSON is what nft lists now, and every rule quotes as nft prints it`, () => {
      const listed = listWithNft(join(corpusDir, `${name}.nft`));
      expect(fixtureOf(listed.json)).toEqual(JSON.parse(corpusJson(name)));
      const parsed = parseNftJson(listed.json);
      if (!parsed.ok) throw new Error(parsed.reason);
      const lines = ruleLines(listed.text);
      const rules = parsed.ruleset.chains.flatMap((c) => c.rules);
      expect(rules.length).toBe(lines.size);
      for (const r of rules) expect(formatRule(r)).toBe(lines.get(`${r.family} ${r.table} ${r.chain} ${r.handle}`));
    });
  }

  it("the lab host's ruleset built as data is what nft lists for its text", () => {
    for (const statement of ['udp dport 51820 drop', 'tcp dport 50000 drop']) {
      const file = join(dir, 'lab-host.nft');
      writeFileSync(file, labHostRulesetText(statement));
      expect(fixtureOf(labHostRuleset(statement))).toEqual(fixtureOf(listWithNft(file).json));
    }
  });
});

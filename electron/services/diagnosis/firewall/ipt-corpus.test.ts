import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { iptCases, iptOutputs } from '../../../../test/support/rulesets/iptables/cases.js';
import { expectVerdicts } from '../../../../test/support/rulesets/iptables/verdicts.js';
import { canGenerate, corpusInputs, rulesetDir, saveOf, undated, unseeded } from '../../../../test/support/rulesets/iptables/generate.js';
import { judgeIptablesHost } from './iptables.js';

describe('iptables corpus', () => {
  for (const c of iptCases) {
    it(`${c.name}: ${c.why}`, () => {
      expectVerdicts(judgeIptablesHost, iptOutputs(c.name), 'ipv4', c);
      if (c.ipv6) expectVerdicts(judgeIptablesHost, iptOutputs(c.name), 'ipv6', c.ipv6);
      for (const l of c.links ?? []) expectVerdicts(judgeIptablesHost, iptOutputs(c.name, l.link), 'ipv4', l);
    });
  }

  it('every ruleset file has a case', () => {
    const names = new Set(corpusInputs().map((f) => f.input.replace(/\.(legacy\.rules|rules6|rules)$/, '')));
    expect([...names].sort()).toEqual(iptCases.map((c) => c.name).sort());
  });

  it.runIf(canGenerate())('each .save (and .ipsets) file is what iptables-save (and ipset save) print for its .rules today', () => {
    for (const { name, input, output, variant, sets } of corpusInputs()) {
      const now = saveOf(readFileSync(join(rulesetDir, input), 'utf8'), variant, sets);
      expect(undated(now.save), output).toBe(undated(readFileSync(join(rulesetDir, output), 'utf8')));
      if (now.sets !== undefined) expect(unseeded(now.sets), `${name}.ipsets`).toBe(unseeded(readFileSync(join(rulesetDir, `${name}.ipsets`), 'utf8')));
    }
  });
});

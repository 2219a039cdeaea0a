import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { iptCases, iptOutputs, type Expected, type Verdicts } from '../../../../test/support/rulesets/iptables/cases.js';
import { canGenerate, corpusInputs, rulesetDir, saveOf, undated } from '../../../../test/support/rulesets/iptables/generate.js';
import { judgeIptablesHost, type IptVerdict } from './iptables.js';
import type { FirewallOutputs } from './inspect.js';

/** Checks a verdict against the corpus' expectation. */
export function expectVerdict(v: IptVerdict, want: Expected): void {
  if (want === 'allow') expect(v).toMatchObject({ verdict: 'allow', rule: null });
  else if ('block' in want) {
    expect(v).toMatchObject({ verdict: 'block', rule: want.block });
    if (want.table) expect(v.iptables?.table).toBe(want.table);
    if (want.backend) expect(v.iptables?.backend).toBe(want.backend);
  } else {
    expect(v.verdict).toBe('unknown');
    expect(v.reason).toContain(want.unknown);
  }
}

function check(out: FirewallOutputs, family: 'ipv4' | 'ipv6', want: Verdicts): void {
  for (const direction of ['inbound', 'outbound'] as const) {
    expectVerdict(judgeIptablesHost(out, { protocol: 'udp', port: 51820, direction, family }), want[direction].udp);
    expectVerdict(judgeIptablesHost(out, { protocol: 'tcp', port: 50000, direction, family }), want[direction].tcp);
  }
}

describe('iptables corpus', () => {
  for (const c of iptCases) {
    it(`${c.name}: ${c.why}`, () => {
      check(iptOutputs(c.name), 'ipv4', c);
      if (c.ipv6) check(iptOutputs(c.name), 'ipv6', c.ipv6);
      for (const l of c.links ?? []) check(iptOutputs(c.name, l.link), 'ipv4', l);
    });
  }

  it('every ruleset file has a case', () => {
    const names = new Set(corpusInputs().map((f) => f.input.replace(/\.(legacy\.rules|rules6|rules)$/, '')));
    expect([...names].sort()).toEqual(iptCases.map((c) => c.name).sort());
  });

  it.runIf(canGenerate())('each .save file is what iptables-save prints for its .rules today', () => {
    for (const { input, output, variant } of corpusInputs()) {
      const now = saveOf(readFileSync(join(rulesetDir, input), 'utf8'), variant);
      expect(undated(now), output).toBe(undated(readFileSync(join(rulesetDir, output), 'utf8')));
    }
  });
});

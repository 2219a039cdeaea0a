import { expect } from 'vitest';
import type { FirewallOutputs } from '../../../../electron/services/diagnosis/firewall/inspect.js';
import type { PortQuery, RuleVerdict } from '../../../../electron/services/diagnosis/firewall/types.js';
import type { IptVerdict } from '../../../../electron/services/diagnosis/firewall/iptables.js';
import type { Expected, Verdicts } from './cases.js';

/** Checks a verdict against the corpus' expectation. */
export function expectVerdict(v: IptVerdict, want: Expected, label: string): void {
  if (want === 'allow') expect(v, label).toMatchObject({ verdict: 'allow', rule: null });
  else if ('block' in want) {
    expect(v, label).toMatchObject({ verdict: 'block', rule: want.block });
    if (want.table) expect(v.iptables?.table, label).toBe(want.table);
    if (want.backend) expect(v.iptables?.backend, label).toBe(want.backend);
  } else {
    expect(v.verdict, label).toBe('unknown');
    expect(v.reason, label).toContain(want.unknown);
  }
}

/** Checks the four verdicts (UDP 51820 and TCP 50000, in and out) of one family. */
export function expectVerdicts(
  judge: (out: FirewallOutputs, q: PortQuery) => RuleVerdict,
  out: FirewallOutputs,
  family: 'ipv4' | 'ipv6',
  want: Verdicts,
): void {
  for (const direction of ['inbound', 'outbound'] as const) {
    expectVerdict(judge(out, { protocol: 'udp', port: 51820, direction, family }), want[direction].udp, `${family} ${direction} udp 51820`);
    expectVerdict(judge(out, { protocol: 'tcp', port: 50000, direction, family }), want[direction].tcp, `${family} ${direction} tcp 50000`);
  }
}

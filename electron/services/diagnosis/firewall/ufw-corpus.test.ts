import { describe, expect, it } from 'vitest';
import { reportOutputs } from '../../../../test/support/rulesets/firewalld/cases.js';
import { expectVerdicts } from '../../../../test/support/rulesets/iptables/verdicts.js';
import { ufwCases } from '../../../../test/support/rulesets/ufw/cases.js';
import { judgeUfw } from './ufw.js';

describe('ufw corpus', () => {
  for (const c of ufwCases) {
    it(`${c.name}: ${c.why}`, () => {
      const out = reportOutputs('ufw', c.name);
      expectVerdicts(judgeUfw, out, 'ipv4', c);
      if (c.ipv6) expectVerdicts(judgeUfw, out, 'ipv6', c.ipv6);
    });
  }

  it('reads the same verdicts from the status rows alone as from user.rules', () => {
    for (const c of ufwCases) {
      const { ufwUserRules: _v4, ufwUser6Rules: _v6, ...statusOnly } = reportOutputs('ufw', c.name);
      for (const direction of ['inbound', 'outbound'] as const)
        for (const q of [{ protocol: 'udp', port: 51820 } as const, { protocol: 'tcp', port: 50000 } as const])
          expect(judgeUfw(statusOnly, { ...q, direction }).verdict, `${c.name} ${direction} ${q.protocol}`).toBe(
            judgeUfw(reportOutputs('ufw', c.name), { ...q, direction }).verdict,
          );
    }
  });

  it('says unknown, not blocked, for an app profile it cannot resolve', () => {
    const { ufwApps: _apps, ...noApps } = reportOutputs('ufw', 'app-profile');
    const v = judgeUfw(noApps, { protocol: 'udp', port: 51820 });
    expect(v.verdict).toBe('unknown');
    expect(v.reason).toContain('application profile "OpenSSH" is not read');
  });

  it('is not judged while inactive, and output without a Status line is unknown', () => {
    expect(judgeUfw({ ufw: 'Status: inactive\n' }, { protocol: 'udp', port: 51820 }).verdict).toBe('allow');
    expect(judgeUfw({ ufw: 'ERROR: You need to be root to run this script\n' }, { protocol: 'udp', port: 51820 })).toMatchObject({ verdict: 'unknown' });
  });
});
